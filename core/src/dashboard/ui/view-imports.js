/* global XMLHttpRequest, FormData */
// CSV imports: upload customers (qualify the referrals that match) or participants (bulk add) to a
// campaign chosen in the form, with the columns each kind reads, a sample to start from, upload
// progress, and the summary the hub returns (invalid lines listed with their line numbers).
import { csrf } from './api.js';
import { h, mount, section, field, select, errorBox, empty, scrollTable } from './dom.js';
import { currentCampaign, state } from './state.js';
import { noCampaign } from './view-overview.js';

/** What each kind of file holds: the columns the hub reads, and a small sample to start from. */
const KINDS = {
  customers: {
    label: 'Customers: qualify the referrals that became customers',
    columns: 'email and/or code (the referral code). Other columns are ignored.',
    sample: 'email,code\nbob@example.com,\n,ACME-4KX7Q2\n',
  },
  participants: {
    label: 'Participants: add people in bulk',
    columns: 'email (required), first_name, last_name, external_id, referrer_code (makes the person referred by that code).',
    sample: 'email,first_name,last_name,external_id,referrer_code\nann@example.com,Ann,Lee,u-1,\nbob@example.com,Bob,,u-2,ACME-4KX7Q2\n',
  },
};

/** Invalid lines shown on the page; the hub keeps the first 1,000. */
const SHOWN_INVALID = 200;

/** Upload with XMLHttpRequest: fetch has no upload progress. `onSent` fires once the file is all sent. */
function upload(path, file, onProgress, onSent) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('x-csrf-token', csrf() || '');
    xhr.upload.addEventListener('progress', (e) => e.lengthComputable && onProgress(e.loaded, e.total));
    xhr.upload.addEventListener('load', onSent);
    xhr.addEventListener('load', () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = { detail: xhr.responseText.slice(0, 300) };
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(Object.assign(new Error(body.detail || body.title || `The hub answered ${xhr.status}`), { fieldErrors: (body.errors || []).map((e) => `${e.path}: ${e.message}`) }));
    });
    xhr.addEventListener('error', () => reject(new Error('The upload did not reach the hub')));
    const data = new FormData();
    data.append('file', file);
    xhr.send(data);
  });
}

/** 2506 → "2,506": counts from large files stay readable. */
const count = (n) => Number(n ?? 0).toLocaleString('en');

function invalidLines(s) {
  if (!s.invalid.length) return null;
  const shown = s.invalid.slice(0, SHOWN_INVALID);
  const more = s.invalid_count - shown.length;
  return h(
    'details',
    { open: true, class: 'invalid-lines' },
    h('summary', {}, `Invalid lines (${count(s.invalid_count)})`),
    scrollTable(
      'Invalid lines',
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Line'), h('th', { scope: 'col' }, 'Why it was skipped'))),
        h('tbody', {}, shown.map((r) => h('tr', {}, h('td', {}, String(r.line)), h('td', {}, r.reason)))),
      ),
    ),
    more > 0 ? h('p', { class: 'hint' }, `${count(more)} more invalid line${more === 1 ? '' : 's'} not shown. Fix these and upload the file again: rows already applied change nothing.`) : null,
  );
}

function summary(s, fileName, campaignName) {
  const rows =
    s.kind === 'customers'
      ? [['Rows read', s.rows], ['Matched a participant', s.matched], ['Qualified now', s.qualified], ['Already qualified', s.already_qualified], ['Held for review', s.held_for_review], ['Not referred', s.not_referred], ['Unqualified (left as they are)', s.unqualified], ['Not found', s.not_found], ['Invalid', s.invalid_count]]
      : [['Rows read', s.rows], ['Created', s.created], ['Of them referred', s.referred], ['Already there', s.existing], ['Invalid', s.invalid_count]];
  return h(
    'div',
    { class: 'summary' },
    h('p', {}, `${fileName} into ${campaignName}: ${count(s.rows)} row${s.rows === 1 ? '' : 's'} read in ${(s.duration_ms / 1000).toFixed(1)} s.`),
    h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, count(v))])),
    invalidLines(s),
  );
}

export async function renderImports(main) {
  const current = currentCampaign();
  if (!current) return noCampaign(main, 'Imports');
  const campaign = select('campaign_id', state.campaigns.map((c) => [c.id, c.name]), current.id);
  const kind = select('kind', Object.entries(KINDS).map(([k, d]) => [k, d.label]), 'customers');
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true });
  const columns = h('p', { class: 'hint' });
  const sample = h('pre', {});
  const showKind = () => {
    const d = KINDS[kind.value];
    mount(columns, h('strong', {}, 'Columns: '), d.columns, ' The first line must name the columns; their order does not matter.');
    mount(sample, d.sample);
  };
  kind.addEventListener('change', showKind);
  showKind();

  const bar = h('progress', { max: '100', value: '0', 'aria-label': 'Upload progress', hidden: true });
  const status = h('p', { role: 'status', 'aria-live': 'polite', class: 'upload-status' });
  const out = h('div', { 'aria-live': 'polite' }, empty('The summary of the upload appears here.'));
  const send = h('button', { type: 'submit' }, 'Upload CSV');
  const form = h(
    'form',
    {},
    field('Into campaign', campaign),
    field('What the file holds', kind),
    h('div', { class: 'field' }, columns, h('details', {}, h('summary', {}, 'A sample file'), sample)),
    field('CSV file', file, 'Large files are fine: the hub reads them as a stream.'),
    send,
    bar,
    status,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const chosen = file.files && file.files[0];
    if (!chosen) return mount(out, errorBox({ message: 'Choose a CSV file first' }));
    const into = state.campaigns.find((c) => c.id === campaign.value) || current;
    send.disabled = true;
    bar.hidden = false;
    bar.max = 100;
    bar.value = 0;
    status.textContent = `Uploading ${chosen.name}…`;
    mount(out, empty('Waiting for the hub…'));
    try {
      const s = await upload(
        `/v1/imports/${kind.value}?campaign_id=${encodeURIComponent(into.id)}`,
        chosen,
        (done, total) => {
          bar.max = total;
          bar.value = done;
          status.textContent = `Uploading ${chosen.name}: ${Math.floor((done / total) * 100)} %`;
        },
        () => {
          status.textContent = `${chosen.name} sent; the hub is reading it…`;
        },
      );
      bar.value = bar.max;
      status.textContent = `Done: ${chosen.name} imported into ${into.name}.`;
      mount(out, summary(s, chosen.name, into.name));
    } catch (err) {
      status.textContent = `${chosen.name} was not imported.`;
      mount(out, errorBox(err));
    } finally {
      send.disabled = false;
    }
  });
  mount(main, h('h1', {}, 'Imports'), section('Upload a CSV', form), section('Summary', out));
}
