/* global setTimeout, clearTimeout */
// Leads: the referred participants of the campaign with status, channel, referrer and CRM record;
// the hub filters, searches, sorts and pages them.
import { api, qs } from './api.js';
import { h, mount, badge, empty, errorBox, when, select, field } from './dom.js';
import { currentCampaign } from './state.js';
import { noCampaign } from './view-overview.js';
import { crmSummary } from './crm.js';

// The orders the hub pages through (`sort` of GET /v1/participants), in the words the page shows.
const SORTS = [
  ['-created_at', 'Newest first'],
  ['created_at', 'Oldest first'],
  ['name', 'Name A to Z'],
  ['-name', 'Name Z to A'],
  ['referral_status', 'Status'],
];
// Wait for a pause in typing before asking the hub, so one search is one request.
const SEARCH_DELAY_MS = 300;

function emptyText(view) {
  if (view.search && view.status) return `No ${view.status} lead matches “${view.search}”.`;
  if (view.search) return `No lead matches “${view.search}”. Search looks in names, emails, codes and the referrer's code or email.`;
  if (view.status) return `No lead is ${view.status}.`;
  return 'No referred participant yet. Friends who join through a referral link appear here.';
}

function leadsTable(rows) {
  return h(
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
  );
}

/**
 * Leads: the hub filters by status, searches and sorts (`referral_status`, `q`, `sort`) and pages with
 * its cursor; a change of any of them starts again at page 1, since a cursor pages only its own sort.
 */
export async function renderLeads(main) {
  const c = currentCampaign();
  if (!c) return noCampaign(main, 'Leads');
  const view = { status: '', search: '', sort: '-created_at', cursors: [undefined], page: 0, rows: [], next: null, limit: 25 };
  const status = select('status', [['', 'Any status'], 'pending', 'qualified', 'unqualified', 'flagged'], '');
  const search = h('input', { type: 'search', name: 'search', maxlength: '200', placeholder: 'Name, email, code, referrer…' });
  const sort = select('sort', SORTS, view.sort);
  const table = h('div', { 'aria-live': 'polite' });
  const prev = h('button', { type: 'button', class: 'secondary' }, 'Previous page');
  const next = h('button', { type: 'button', class: 'secondary' }, 'Next page');
  const pageInfo = h('span', { class: 'muted' });
  let requestSeq = 0;
  let searchTimer = null;

  const draw = () => {
    prev.disabled = view.page === 0;
    next.disabled = !view.next;
    pageInfo.textContent = `Page ${view.page + 1}`;
    mount(table, view.rows.length === 0 ? empty(emptyText(view)) : leadsTable(view.rows));
  };

  const load = async () => {
    // Answers can arrive out of order (fast typing): only the latest request may draw.
    const seq = ++requestSeq;
    const query = { campaign_id: c.id, type: 'referred', referral_status: view.status, q: view.search, sort: view.sort, limit: view.limit, cursor: view.cursors[view.page] };
    try {
      const page = await api.get('/v1/participants' + qs(query));
      if (seq !== requestSeq) return;
      view.rows = page.data;
      view.next = page.next_cursor;
      draw();
    } catch (err) {
      if (seq !== requestSeq) return;
      view.rows = [];
      view.next = null;
      next.disabled = true;
      mount(table, errorBox(err));
    }
  };

  const restart = () => {
    view.page = 0;
    view.cursors = [undefined];
    return load();
  };

  const searchNow = () => {
    clearTimeout(searchTimer);
    const term = search.value.trim();
    if (term === view.search) return;
    view.search = term;
    restart();
  };

  status.addEventListener('change', () => {
    view.status = status.value;
    restart();
  });
  search.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(searchNow, SEARCH_DELAY_MS);
  });
  // Enter (or leaving the field) searches at once.
  search.addEventListener('change', searchNow);
  sort.addEventListener('change', () => {
    view.sort = sort.value;
    restart();
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
