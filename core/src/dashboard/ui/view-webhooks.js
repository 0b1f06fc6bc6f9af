// Webhooks: the workspace's endpoints, subscribe a new URL (its secret is shown once), each
// endpoint's delivery log, and redelivery of a delivery.
import { api, listAll, qs } from './api.js';
import { h, mount, section, empty, badge, when, field, busy, toast, copyButton } from './dom.js';

const EVENTS = ['*', 'participant.created', 'referral.created', 'referral.qualified', 'referral.unqualified', 'referral.flagged', 'conversion.tracked', 'reward.created', 'reward.approved', 'reward.declined', 'reward.issued'];

async function deliveries(endpoint, box) {
  const page = await api.get(`/v1/webhooks/${encodeURIComponent(endpoint.id)}/deliveries${qs({ limit: 20 })}`);
  const out = h('div', { 'aria-live': 'polite' });
  if (page.data.length === 0) return mount(box, empty('No delivery yet.'));
  mount(
    box,
    h(
      'table',
      {},
      h('caption', { class: 'sr-only' }, `Deliveries to ${endpoint.url}`),
      h('thead', {}, h('tr', {}, ['Event', 'Status', 'Attempts', 'Answer', 'When', ''].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        page.data.map((d) => {
          const retry = h('button', { type: 'button', class: 'small secondary', 'aria-label': `Redeliver ${d.event_type} ${d.id}` }, 'Redeliver');
          retry.addEventListener('click', () =>
            busy(retry, out, async () => {
              await api.post(`/v1/webhooks/${encodeURIComponent(endpoint.id)}/deliveries/${encodeURIComponent(d.id)}/retry`);
              toast('Redelivery queued');
              await deliveries(endpoint, box);
            }),
          );
          return h(
            'tr',
            {},
            h('td', {}, d.event_type),
            h('td', {}, badge(d.status)),
            h('td', {}, String(d.attempt)),
            h('td', {}, d.response_status ? String(d.response_status) : d.error || '—'),
            h('td', {}, when(d.last_attempt_at || d.created_at)),
            h('td', {}, retry),
          );
        }),
      ),
    ),
    out,
  );
}

export async function renderWebhooks(main) {
  const endpoints = await listAll('/v1/webhooks');
  const url = h('input', { type: 'url', name: 'url', required: true, placeholder: 'https://example.com/referloop-hook' });
  const boxes = EVENTS.map((e) => h('input', { type: 'checkbox', name: 'events', value: e, checked: e === '*' }));
  const out = h('div', { 'aria-live': 'polite' });
  const add = h('button', { type: 'submit' }, 'Subscribe');
  const form = h(
    'form',
    {},
    field('Endpoint URL', url),
    h('fieldset', {}, h('legend', {}, 'Events'), h('div', { class: 'checks' }, boxes.map((b) => field(b.value === '*' ? 'All events' : b.value, b)))),
    add,
    out,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(add, out, async () => {
      const created = await api.post('/v1/webhooks', { url: url.value.trim(), events: boxes.filter((b) => b.checked).map((b) => b.value) });
      await renderWebhooks(main);
      main.prepend(
        h('div', { class: 'notice', role: 'status' }, 'Signing secret of the new endpoint (shown only now): ', h('code', {}, created.secret), ' ', copyButton(created.secret, 'Copy secret')),
      );
    });
  });
  mount(
    main,
    h('h1', {}, 'Webhooks'),
    section('Subscribe a URL', form),
    endpoints.length === 0
      ? section('Endpoints', empty('No endpoint yet. Zapier, Make and n8n subscribe here by themselves.'))
      : endpoints.map((ep) => {
          const log = h('div', {}, h('p', { class: 'muted' }, 'Loading deliveries…'));
          const remove = h('button', { type: 'button', class: 'danger small' }, 'Delete endpoint');
          const eout = h('div', { 'aria-live': 'polite' });
          remove.addEventListener('click', () =>
            busy(remove, eout, async () => {
              await api.del(`/v1/webhooks/${encodeURIComponent(ep.id)}`);
              toast('Endpoint deleted');
              await renderWebhooks(main);
            }),
          );
          deliveries(ep, log).catch((err) => mount(log, h('p', { class: 'error' }, err.message)));
          return section(
            ep.url,
            h('p', {}, badge(ep.enabled ? 'enabled' : 'disabled'), ep.disabled_reason ? ` (${ep.disabled_reason.replace(/_/g, ' ')})` : '', ` · ${ep.events.join(', ')} · ${ep.consecutive_failures} failures in a row`),
            log,
            remove,
            eout,
          );
        }),
  );
}
