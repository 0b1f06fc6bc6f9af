// Leads: the referred participants of the campaign with status, channel, referrer and CRM record;
// filter by status on the hub, search and sort the loaded page here, page with the API cursor.
import { api, qs } from './api.js';
import { h, mount, badge, empty, when, select, field } from './dom.js';
import { currentCampaign } from './state.js';
import { noCampaign } from './view-overview.js';

/** "pipedrive deal 42 · won" from the participant's crm field, where a CRM knows it. */
export function crmSummary(crm) {
  const parts = [];
  for (const [vendor, entry] of Object.entries(crm || {})) {
    if (!entry || typeof entry !== 'object') continue;
    const ids = Object.entries(entry.ids || {}).map(([obj, id]) => `${obj} ${id}`);
    const stage = entry.stage || entry.stage_name || entry.lifecycle_stage;
    parts.push([vendor, ids.join(', '), stage ? `stage ${stage}` : ''].filter(Boolean).join(' · '));
  }
  return parts.join('; ');
}

const SORTS = {
  newest: (a, b) => b.created_at.localeCompare(a.created_at),
  oldest: (a, b) => a.created_at.localeCompare(b.created_at),
  name: (a, b) => (a.name || a.email).localeCompare(b.name || b.email),
  status: (a, b) => String(a.referral_status).localeCompare(String(b.referral_status)),
};

export async function renderLeads(main) {
  const c = currentCampaign();
  if (!c) return noCampaign(main, 'Leads');
  const view = { status: '', search: '', sort: 'newest', cursors: [undefined], page: 0, rows: [], next: null, limit: 25 };
  const status = select('status', [['', 'Any status'], 'pending', 'qualified', 'unqualified', 'flagged'], '');
  const search = h('input', { type: 'search', name: 'search', placeholder: 'Name, email, code, referrer…' });
  const sort = select('sort', [['newest', 'Newest first'], ['oldest', 'Oldest first'], ['name', 'Name'], ['status', 'Status']], 'newest');
  const table = h('div', { 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'secondary' }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary' }, 'Next page');
  const pageInfo = h('span', { class: 'muted' });

  const draw = () => {
    const term = view.search.trim().toLowerCase();
    const rows = view.rows
      .filter((p) => !term || [p.email, p.name, p.code, p.referrer_code, p.channel, crmSummary(p.crm)].some((v) => v && String(v).toLowerCase().includes(term)))
      .sort(SORTS[view.sort]);
    prev.disabled = view.page === 0;
    next.disabled = !view.next;
    pageInfo.textContent = `Page ${view.page + 1}`;
    if (rows.length === 0) {
      mount(table, empty(view.rows.length ? 'No lead on this page matches the search.' : 'No referred participant yet. Friends who join through a referral link appear here.'));
      return;
    }
    mount(
      table,
      h(
        'table',
        { class: 'leads' },
        h('caption', { class: 'sr-only' }, 'Referred participants'),
        h('thead', {}, h('tr', {}, ['Lead', 'Status', 'Channel', 'Referrer', 'CRM record', 'Joined'].map((t) => h('th', { scope: 'col' }, t)))),
        h(
          'tbody',
          {},
          rows.map((p) =>
            h(
              'tr',
              {},
              h('td', {}, h('a', { href: `#/participants/${p.id}` }, p.name || p.email), p.name ? h('div', { class: 'muted' }, p.email) : null),
              h('td', {}, badge(p.referral_status), p.test_mode ? h('span', { class: 'badge b-test' }, 'test') : null),
              h('td', {}, p.channel || h('span', { class: 'muted' }, 'link')),
              h('td', {}, p.referrer_id ? h('a', { href: `#/participants/${p.referrer_id}` }, p.referrer_code) : '—'),
              h('td', {}, crmSummary(p.crm) || h('span', { class: 'muted' }, 'not in a CRM')),
              h('td', {}, when(p.created_at)),
            ),
          ),
        ),
      ),
    );
  };

  const load = async () => {
    const page = await api.get(
      '/v1/participants' + qs({ campaign_id: c.id, type: 'referred', referral_status: view.status, limit: view.limit, cursor: view.cursors[view.page] }),
    );
    view.rows = page.data;
    view.next = page.next_cursor;
    draw();
  };

  status.addEventListener('change', () => {
    view.status = status.value;
    view.page = 0;
    view.cursors = [undefined];
    load();
  });
  search.addEventListener('input', () => {
    view.search = search.value;
    draw();
  });
  sort.addEventListener('change', () => {
    view.sort = sort.value;
    draw();
  });
  prev.addEventListener('click', () => {
    view.page--;
    load();
  });
  next.addEventListener('click', () => {
    view.cursors[view.page + 1] = view.next;
    view.page++;
    load();
  });

  mount(
    main,
    h('h1', {}, `Leads · ${c.name}`),
    h('div', { class: 'toolbar' }, field('Status', status), field('Search', search), field('Sort', sort)),
    table,
    h('div', { class: 'pager' }, prev, pageInfo, next),
  );
  await load();
}
