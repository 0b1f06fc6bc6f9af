/* global XMLHttpRequest, FormData */
// CSV imports: upload customers (qualify the referrals that match) or participants (bulk add) to
// the current campaign, with an upload progress bar and the summary the hub returns.
import { csrf } from './api.js';
import { h, mount, section, field, select, errorBox, empty } from './dom.js';
import { currentCampaign } from './state.js';
import { noCampaign } from './view-overview.js';

/** Upload with XMLHttpRequest: fetch has no upload progress. */
function upload(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.setRequestHeader('x-csrf-token', csrf() || '');
    xhr.upload.addEventListener('progress', (e) => e.lengthComputable && onProgress(e.loaded, e.total));
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

function summary(s) {
  const rows =
    s.kind === 'customers'
      ? [['Rows read', s.rows], ['Matched a participant', s.matched], ['Qualified now', s.qualified], ['Already qualified', s.already_qualified], ['Held for review', s.held_for_review], ['Not referred', s.not_referred], ['Not found', s.not_found], ['Invalid', s.invalid_count]]
      : [['Rows read', s.rows], ['Created', s.created], ['Of them referred', s.referred], ['Already there', s.existing], ['Invalid', s.invalid_count]];
  return h(
    'div',
    { class: 'summary', role: 'status' },
    h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))])),
    s.invalid.length
      ? h('details', { open: true }, h('summary', {}, `Invalid lines${s.invalid_truncated ? ' (first 1,000)' : ''}`), h('ul', {}, s.invalid.slice(0, 200).map((r) => h('li', {}, `line ${r.line}: ${r.reason}`))))
      : null,
  );
}

export async function renderImports(main) {
  const c = currentCampaign();
  if (!c) return noCampaign(main, 'Imports');
  const kind = select('kind', [['customers', 'Customers: qualify the referrals that became customers'], ['participants', 'Participants: add people in bulk']], 'customers');
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true });
  const bar = h('progress', { max: '100', value: '0', 'aria-label': 'Upload progress', hidden: true });
  const out = h('div', { 'aria-live': 'polite' }, empty('The summary of the upload appears here.'));
  const send = h('button', { type: 'submit' }, 'Upload CSV');
  const form = h(
    'form',
    {},
    field('What the file holds', kind, 'Customers: a column email or code. Participants: email, first_name, last_name, referrer_code…'),
    field('CSV file', file),
    send,
    bar,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!file.files || !file.files[0]) return mount(out, errorBox({ message: 'Choose a CSV file first' }));
    send.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    try {
      const s = await upload(`/v1/imports/${kind.value}?campaign_id=${encodeURIComponent(c.id)}`, file.files[0], (done, total) => {
        bar.max = total;
        bar.value = done;
      });
      mount(out, summary(s));
    } catch (err) {
      mount(out, errorBox(err));
    } finally {
      send.disabled = false;
    }
  });
  mount(main, h('h1', {}, `Imports · ${c.name}`), section('Upload a CSV', form), section('Summary', out));
}
