/* global setTimeout */
// Integrations: each vendor's status, connect and settings (integration-form.js), disconnect, a
// contacts sync with a live progress bar, and the last errors.
import { api, listAll } from './api.js';
import { h, mount, section, badge, field, busy, toast, when, select, empty } from './dom.js';
import { integrationForm, VENDORS } from './integration-form.js';
import { state } from './state.js';

/** Poll a sync run and show it on a <progress> until it ends. */
function syncProgress(vendor, run, onDone) {
  const bar = h('progress', { max: '100', 'aria-label': `${vendor} sync progress` });
  const text = h('span', { role: 'status' });
  const failures = h('ul', { class: 'muted' });
  const show = (r) => {
    if (r.total) {
      bar.max = r.total;
      bar.value = r.processed;
    } else bar.removeAttribute('value');
    text.textContent = `${r.state}: ${r.processed}${r.total ? ` of ${r.total}` : ''} contacts · ${r.created} created · ${r.updated} updated · ${r.failed} failed${r.last_error ? ` · ${r.last_error}` : ''}`;
    failures.replaceChildren(...r.failures.slice(0, 5).map((f) => h('li', {}, `${f.contact_id}: ${f.message}`)));
  };
  show(run);
  const poll = async () => {
    if (!bar.isConnected) return;
    try {
      const r = await api.get(`/v1/integrations/${vendor}/syncs/${encodeURIComponent(run.id)}`);
      show(r);
      if (r.state === 'queued' || r.state === 'running') setTimeout(poll, 1000);
      else {
        if (r.state === 'completed') bar.value = bar.max;
        onDone(r);
      }
    } catch (err) {
      text.textContent = err.message;
    }
  };
  if (run.state === 'queued' || run.state === 'running') setTimeout(poll, 500);
  return h('div', { class: 'sync' }, bar, ' ', text, failures);
}

function vendorCard(vendor, integration, reload) {
  const meta = VENDORS[vendor];
  const out = h('div', { 'aria-live': 'polite' });
  const connected = integration && integration.status !== 'disconnected';
  const actions = [];
  const last = integration ? lastSync(vendor) : null;
  if (connected) {
    const disconnect = h('button', { type: 'button', class: 'danger' }, `Disconnect ${meta.name}`);
    disconnect.addEventListener('click', () =>
      busy(disconnect, out, async () => {
        await api.del(`/v1/integrations/${vendor}`);
        toast(`${meta.name} disconnected`);
        await reload();
      }),
    );
    const campaign = h(
      'select',
      { name: 'campaign_id' },
      state.campaigns.map((c) => h('option', { value: c.id, selected: c.id === state.campaignId }, c.name)),
    );
    const mode = select(
      'mode',
      [
        ['once', 'Once'],
        ['ongoing', 'Once, then keep importing new contacts'],
      ],
      'once',
    );
    const sync = h('button', { type: 'button' }, 'Sync contacts');
    const progress = h('div');
    sync.addEventListener('click', () =>
      busy(sync, out, async () => {
        const run = await api.post(`/v1/integrations/${vendor}/sync`, { campaign_id: campaign.value, mode: mode.value });
        progress.replaceChildren(
          syncProgress(vendor, run, (r) => {
            toast(`${meta.name} sync ${r.state}`);
            last.refresh();
          }),
        );
      }),
    );
    actions.push(h('div', { class: 'toolbar' }, field('Campaign', campaign), field('Mode', mode), sync), progress, disconnect);
  }
  return section(
    meta.name,
    h(
      'p',
      {},
      badge(integration ? integration.status : 'not_connected'),
      integration && integration.account ? ` ${integration.account.name || integration.account.id}` : '',
      integration && integration.connected_at ? [' · since ', when(integration.connected_at)] : '',
    ),
    integration && integration.last_error ? h('div', { class: 'error', role: 'alert' }, h('strong', {}, 'Last error: '), integration.last_error, ' ', when(integration.last_error_at)) : null,
    integration ? h('p', { class: 'muted' }, 'Vendor webhooks go to ', h('code', {}, integration.inbound_url)) : null,
    integration && integration.manual_webhooks ? h('p', { class: 'hint' }, integration.manual_webhooks.instructions) : null,
    last ? last.el : null,
    actions,
    integrationForm(vendor, integration, reload),
    out,
  );
}

/** The latest sync run of a vendor, refreshed when a sync started here ends. */
function lastSync(vendor) {
  const el = h('div', { class: 'muted' });
  const refresh = () =>
    api
      .get(`/v1/integrations/${vendor}/syncs`)
      .then((page) => {
        const last = page.data[0];
        el.replaceChildren(
          last
            ? h('span', {}, 'Last sync: ', badge(last.state), ` ${last.processed} contacts, ${last.failed} failed `, when(last.created_at), last.last_error ? ` · ${last.last_error}` : '')
            : 'No sync yet.',
        );
      })
      .catch(() => el.replaceChildren());
  refresh();
  return { el, refresh };
}

export async function renderIntegrations(main) {
  const list = await listAll('/v1/integrations');
  const byVendor = new Map(list.map((i) => [i.vendor, i]));
  const reload = () => renderIntegrations(main);
  mount(
    main,
    h('h1', {}, 'Integrations'),
    state.campaigns.length === 0 ? empty('Create a campaign first: syncs import contacts into a campaign.') : null,
    h(
      'div',
      { class: 'stack' },
      Object.keys(VENDORS).map((v) => vendorCard(v, byVendor.get(v), reload)),
    ),
  );
}
