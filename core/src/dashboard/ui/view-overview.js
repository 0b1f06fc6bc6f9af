// Overview of one campaign: who shares, who joined through whom, who converted, what needs
// review and which rewards are due, a referrals-over-time chart and the leaderboard.
import { api, qs } from './api.js';
import { h, mount, section, empty, money } from './dom.js';
import { dailyChart } from './chart.js';
import { currentCampaign } from './state.js';

function figure(label, value, href) {
  const v = h('span', { class: 'value' }, String(value));
  return h('div', { class: 'figure' }, href ? h('a', { href }, v) : v, h('span', { class: 'label' }, label));
}

export function noCampaign(main, title) {
  mount(main, h('h1', {}, title), empty('There is no campaign yet. Create one to start tracking referrals.', h('a', { href: '#/campaigns/new', class: 'button' }, 'Create a campaign')));
}

export async function renderOverview(main) {
  const c = currentCampaign();
  if (!c) return noCampaign(main, 'Overview');
  mount(main, h('h1', {}, `Overview · ${c.name}`), h('p', { class: 'muted' }, 'Loading…'));
  const id = encodeURIComponent(c.id);
  // The hub counts per day; the page never loads the participants themselves for the chart.
  const [stats, board, daily] = await Promise.all([
    api.get(`/v1/campaigns/${id}/stats`),
    api.get(`/v1/campaigns/${id}/leaderboard${qs({ limit: 10 })}`),
    api.get(`/v1/campaigns/${id}/stats/daily${qs({ days: 30 })}`),
  ]);
  const due = Object.entries(stats.rewards.amount_due);
  const r = stats.referrals;
  const rw = stats.rewards.by_status;
  const rows = board.data || board;
  mount(
    main,
    h('h1', {}, `Overview · ${c.name}`),
    h(
      'div',
      { class: 'figures' },
      figure('Participants', stats.participants.total),
      figure('Sharing', stats.sharers),
      figure('Clicks (people)', stats.clicks.humans),
      figure('Joined through a friend', r.total, '#/leads'),
      figure('Converted (qualified)', r.qualified),
      figure('Conversion rate', `${Math.round(stats.conversion_rate * 1000) / 10}%`),
      figure('Waiting for review', r.flagged + rw.pending, '#/review'),
      figure('Rewards due', due.length ? due.map(([cur, amt]) => money(amt, cur)).join(' + ') : String(rw.approved + rw.delayed)),
      figure('Rewards issued', rw.issued),
    ),
    section('Referrals over time', dailyChart(daily.data)),
    section(
      'Leaderboard',
      rows.length === 0
        ? empty('No one has referred a friend yet.')
        : h(
            'table',
            {},
            h('caption', { class: 'sr-only' }, 'Top referrers by qualified friends'),
            h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Referrer'), h('th', { scope: 'col' }, 'Friends'), h('th', { scope: 'col' }, 'Qualified'))),
            h(
              'tbody',
              {},
              rows.map((p, i) =>
                h('tr', {}, h('td', {}, String(i + 1)), h('td', {}, h('a', { href: `#/participants/${p.participant_id}` }, p.name || p.email)), h('td', {}, String(p.referred)), h('td', {}, String(p.qualified))),
              ),
            ),
          ),
    ),
  );
}
