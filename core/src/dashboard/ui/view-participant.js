// One participant: referral link and QR code, referral status with manual qualify/unqualify,
// the rewards it earned or received, and its full timeline.
import { api, qs } from './api.js';
import { h, mount, section, badge, when, field, busy, copyButton, empty, money, toast } from './dom.js';
import { crmLines } from './crm.js';
import { rewardText } from './rewards.js';

function timelineText(e) {
  const d = e.data || {};
  const bits = [d.status, d.event, d.channel, d.reason, d.amount !== undefined && d.currency ? money(d.amount, d.currency) : null].filter((v) => v !== undefined && v !== null && v !== '');
  return bits.join(' · ');
}

export async function renderParticipant(main, id) {
  const pid = encodeURIComponent(id);
  const [p, timeline] = await Promise.all([api.get(`/v1/participants/${pid}`), api.get(`/v1/participants/${pid}/timeline`)]);
  const [asReferral, asRecipient, referrer] = await Promise.all([
    p.type === 'referred' ? api.get('/v1/rewards' + qs({ referral_id: p.id, limit: 100 })) : { data: [] },
    api.get('/v1/rewards' + qs({ participant_id: p.id, limit: 100 })),
    p.referrer_id ? api.get(`/v1/participants/${encodeURIComponent(p.referrer_id)}`).catch(() => null) : null,
  ]);
  const entries = timeline.data || timeline;

  const reason = h('input', { type: 'text', name: 'reason', maxlength: '500', placeholder: 'e.g. paid invoice 1042 by hand' });
  const out = h('div', { 'aria-live': 'polite' });
  const act = (path, verb) => {
    const btn = h('button', { type: 'button', class: verb === 'Unqualify' ? 'danger' : '' }, verb);
    btn.addEventListener('click', () =>
      busy(btn, out, async () => {
        const res = await api.post(path, { participant_id: p.id, reason: reason.value.trim() || undefined, source: 'manual' });
        toast(res.changed ? `${verb === 'Qualify' ? 'Qualified' : 'Unqualified'}${res.rewards.length ? ` · ${res.rewards.length} reward(s)` : ''}` : 'Nothing changed: it already had this status');
        await renderParticipant(main, id);
      }),
    );
    return btn;
  };
  const rewards = [...asReferral.data, ...asRecipient.data.filter((r) => !asReferral.data.some((x) => x.id === r.id))];

  mount(
    main,
    h('p', {}, h('a', { href: '#/leads' }, '← Leads')),
    h('h1', {}, p.name || p.email),
    h(
      'div',
      { class: 'columns' },
      section(
        'Participant',
        h(
          'dl',
          { class: 'facts' },
          h('dt', {}, 'Email'), h('dd', {}, p.email),
          h('dt', {}, 'Type'), h('dd', {}, p.type),
          h('dt', {}, 'Referral status'), h('dd', {}, badge(p.referral_status), p.flag_reasons && p.flag_reasons.length ? h('span', { class: 'muted' }, ` flagged: ${p.flag_reasons.join(', ')}`) : null),
          h('dt', {}, 'Referred by'), h('dd', {}, referrer ? h('a', { href: `#/participants/${referrer.id}` }, referrer.name || referrer.email) : '—'),
          h('dt', {}, 'Channel'), h('dd', {}, p.channel || '—'),
          h('dt', {}, 'CRM record'), h('dd', {}, crmLines(p.crm).length ? crmLines(p.crm).map((line) => h('div', {}, line)) : '—'),
          h('dt', {}, 'Friends referred'), h('dd', {}, `${p.people_referred} (${p.qualified_count} qualified)`),
          h('dt', {}, 'Joined'), h('dd', {}, when(p.created_at)),
          p.qualified_at ? [h('dt', {}, 'Qualified'), h('dd', {}, when(p.qualified_at))] : null,
        ),
      ),
      section(
        'Referral link',
        h('p', {}, h('code', { class: 'link' }, p.referral_link), ' ', copyButton(p.referral_link, 'Copy link')),
        h('p', {}, 'Code ', h('code', {}, p.code)),
        h('img', { src: p.qr_url, alt: `QR code of ${p.referral_link}`, width: '160', height: '160', class: 'qr' }),
      ),
    ),
    p.type === 'referred'
      ? section(
          'Qualify by hand',
          h('p', { class: 'muted' }, 'When the friend became a customer outside any connected system, record it here; unqualify reverses it and voids rewards not yet issued.'),
          field('Reason (kept in the timeline)', reason),
          h('div', { class: 'actions' }, act('/v1/referrals/qualify', 'Qualify'), act('/v1/referrals/unqualify', 'Unqualify')),
          out,
        )
      : null,
    section(
      'Rewards',
      rewards.length === 0
        ? empty('No reward from or for this participant.')
        : h(
            'ul',
            { class: 'plain' },
            rewards.map((r) => h('li', {}, badge(r.status), ' ', rewardText(r), r.release_at ? ` · released ${new Date(r.release_at).toLocaleDateString('en')}` : '', ' ', h('a', { href: '#/review' }, 'review'))),
          ),
    ),
    section(
      'Timeline',
      entries.length === 0
        ? empty('Nothing has happened yet.')
        : h(
            'ol',
            { class: 'timeline' },
            entries.map((e) => h('li', {}, when(e.at), ' ', h('strong', {}, e.kind.replace(/_/g, ' ')), h('span', { class: 'muted' }, ` via ${e.source}`), timelineText(e) ? ` — ${timelineText(e)}` : '')),
          ),
    ),
  );
}
