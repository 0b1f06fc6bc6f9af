// Review queue: flagged referrals (approve/reject with the fraud reasons shown), rewards waiting
// for a person (approve, decline, mark issued — one or many), and delayed rewards with their date.
import { api, listAll } from './api.js';
import { h, mount, section, empty, badge, when, busy, toast, field, day } from './dom.js';
import { currentCampaign } from './state.js';
import { rewardText } from './rewards.js';
import { noCampaign } from './view-overview.js';

const REASONS = {
  self_referral: 'the friend looks like the referrer (same email)',
  duplicate_email: 'this email already joined',
  same_ip: 'signed up from the referrer’s IP address',
  disposable_email: 'disposable email address',
};

export async function renderReview(main) {
  const c = currentCampaign();
  if (!c) return noCampaign(main, 'Review');
  const [flagged, pending, approved, delayed] = await Promise.all([
    listAll('/v1/participants', { campaign_id: c.id, referral_status: 'flagged' }),
    listAll('/v1/rewards', { campaign_id: c.id, status: 'pending' }),
    listAll('/v1/rewards', { campaign_id: c.id, status: 'approved' }),
    listAll('/v1/rewards', { campaign_id: c.id, status: 'delayed' }),
  ]);
  const people = new Map();
  const ids = [...new Set([...pending, ...approved, ...delayed].flatMap((r) => [r.participant_id, r.referral_id]))];
  await Promise.all(ids.map(async (id) => people.set(id, await api.get(`/v1/participants/${encodeURIComponent(id)}`).catch(() => null))));
  const who = (id) => {
    const p = people.get(id);
    return h('a', { href: `#/participants/${id}` }, p ? p.name || p.email : id);
  };
  const reload = () => renderReview(main);

  const flaggedOut = h('div', { 'aria-live': 'polite' });
  const flaggedList =
    flagged.length === 0
      ? empty('No referral is held for review.')
      : h(
          'ul',
          { class: 'plain cards' },
          flagged.map((p) => {
            const reason = h('input', { type: 'text', maxlength: '500', name: 'reason' });
            const decide = (decision, label) => {
              const b = h('button', { type: 'button', class: decision === 'reject' ? 'danger' : '' }, label);
              b.addEventListener('click', () =>
                busy(b, flaggedOut, async () => {
                  await api.post(`/v1/referrals/${encodeURIComponent(p.id)}/review`, { decision, reason: reason.value.trim() || undefined });
                  toast(`Referral ${decision === 'approve' ? 'approved' : 'rejected'}`);
                  await reload();
                }),
              );
              return b;
            };
            return h(
              'li',
              { class: 'review-item' },
              h('div', {}, h('a', { href: `#/participants/${p.id}` }, p.name || p.email), ' referred by ', h('code', {}, p.referrer_code || '—'), ' · ', when(p.created_at)),
              h('ul', { class: 'reasons' }, (p.flag_reasons || []).map((r) => h('li', {}, h('strong', {}, r.replace(/_/g, ' ')), REASONS[r] ? `: ${REASONS[r]}` : ''))),
              field(`Reason for ${p.email}`, reason),
              h('div', { class: 'actions' }, decide('approve', 'Approve referral'), decide('reject', 'Reject referral')),
            );
          }),
        );

  mount(
    main,
    h('h1', {}, `Review · ${c.name}`),
    section('Flagged referrals', flaggedList, flaggedOut),
    rewardTable('Rewards waiting for approval', pending, ['approve', 'decline'], who, reload, 'No reward waits for approval.'),
    rewardTable('Approved rewards to issue', approved, ['issue', 'decline'], who, reload, 'No approved reward waits to be issued.'),
    rewardTable('Delayed rewards (hold period)', delayed, ['approve', 'decline'], who, reload, 'No reward is on hold.'),
  );
}

const VERB = { approve: 'Approve', decline: 'Decline', issue: 'Mark issued' };

function rewardTable(title, rewards, actions, who, reload, emptyText) {
  if (rewards.length === 0) return section(title, empty(emptyText));
  const out = h('div', { 'aria-live': 'polite' });
  const boxes = rewards.map((r) => h('input', { type: 'checkbox', value: r.id, 'aria-label': `Select reward ${rewardText(r)} for ${r.participant_id}` }));
  const all = h('input', { type: 'checkbox', 'aria-label': 'Select all' });
  all.addEventListener('change', () => boxes.forEach((b) => (b.checked = all.checked)));
  const reason = h('input', { type: 'text', maxlength: '500' });
  const run = async (action, ids) => {
    let done = 0;
    const failures = [];
    for (const id of ids) {
      try {
        await api.post(`/v1/rewards/${encodeURIComponent(id)}/${action}`, { reason: reason.value.trim() || undefined });
        done++;
      } catch (err) {
        failures.push(`${id}: ${err.message}`);
      }
    }
    toast(`${VERB[action]}: ${done} of ${ids.length} done`);
    if (failures.length) throw Object.assign(new Error(`${failures.length} could not be changed`), { fieldErrors: failures });
    await reload();
  };
  const bulk = actions.map((a) => {
    const b = h('button', { type: 'button', class: a === 'decline' ? 'danger' : '' }, `${VERB[a]} selected`);
    b.addEventListener('click', () =>
      busy(b, out, async () => {
        const ids = boxes.filter((x) => x.checked).map((x) => x.value);
        if (ids.length === 0) throw new Error('Select at least one reward first');
        await run(a, ids);
      }),
    );
    return b;
  });
  return section(
    title,
    h(
      'table',
      {},
      h('caption', { class: 'sr-only' }, title),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, all), ['Reward', 'For', 'Earned by referral', 'Status', 'Release', 'Created', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        rewards.map((r, i) =>
          h(
            'tr',
            {},
            h('td', {}, boxes[i]),
            h('td', {}, rewardText(r)),
            h('td', {}, who(r.participant_id), h('span', { class: 'muted' }, ` (${r.recipient})`)),
            h('td', {}, who(r.referral_id)),
            h('td', {}, badge(r.status)),
            h('td', {}, r.release_at ? day(r.release_at) : '—'),
            h('td', {}, when(r.created_at)),
            h(
              'td',
              { class: 'actions' },
              actions.map((a) => {
                const b = h('button', { type: 'button', class: `small ${a === 'decline' ? 'danger' : ''}`, 'aria-label': `${VERB[a]} ${rewardText(r)}` }, VERB[a]);
                b.addEventListener('click', () => busy(b, out, () => run(a, [r.id])));
                return b;
              }),
            ),
          ),
        ),
      ),
    ),
    field('Reason (optional, kept with the decision)', reason),
    h('div', { class: 'actions' }, bulk),
    out,
  );
}
