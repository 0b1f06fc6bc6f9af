/* global setTimeout */
// Integrations: each vendor's status, connect (credentials are write-only) and disconnect, a
// contacts sync with a live progress bar, and the last errors.
import { api, listAll } from './api.js';
import { h, mount, section, badge, field, busy, toast, when, select, empty } from './dom.js';
import { state } from './state.js';

const VENDORS = {
  pipedrive: { name: 'Pipedrive', credentials: [['api_token', 'API token']] },
  hubspot: { name: 'HubSpot', credentials: [['access_token', 'Private app access token']] },
  salesforce: { name: 'Salesforce', credentials: [['instance_url', 'Instance URL'], ['access_token', 'Access token'], ['refresh_token', 'Refresh token (optional)']] },
  stripe: { name: 'Stripe', credentials: [['secret_key', 'Secret or restricted key'], ['webhook_secret', 'Webhook signing secret (optional)']] },
};

function parseJson(text, what) {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
}

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
  const creds = meta.credentials.map(([name, label]) => field(label, h('input', { name, type: name.includes('url') ? 'url' : 'password', autocomplete: 'off' })));
  const settings = h('textarea', { name: 'settings', rows: '4', spellcheck: 'false' }, integration ? JSON.stringify(integration.settings, null, 2) : '{}');
  const base = h('input', { name: 'api_base_url', type: 'url', value: integration && integration.api_base_url ? integration.api_base_url : '' });
  const connect = h('button', { type: 'submit' }, connected ? 'Save' : `Connect ${meta.name}`);
  const form = h(
    'form',
    {},
    creds,
    field('Settings (JSON)', settings, 'Pipeline, stages, field mapping and per-campaign rules, as the vendor’s settings describe'),
    field('API base URL (optional)', base, 'Only for a sandbox or a proxy'),
    connect,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(connect, out, async () => {
      const credentials = {};
      for (const input of form.querySelectorAll('input[type=password], input[type=url]')) if (input.name !== 'api_base_url' && input.value.trim()) credentials[input.name] = input.value.trim();
      const body = { settings: parseJson(settings.value, 'Settings') };
      if (Object.keys(credentials).length) body.credentials = credentials;
      if (base.value.trim()) body.api_base_url = base.value.trim();
      await api.put(`/v1/integrations/${vendor}`, body);
      toast(`${meta.name} saved`);
      await reload();
    });
  });
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
    const campaign = h('select', { name: 'campaign_id' }, state.campaigns.map((c) => h('option', { value: c.id, selected: c.id === state.campaignId }, c.name)));
    const mode = select('mode', [['once', 'Once'], ['ongoing', 'Once, then keep importing new contacts']], 'once');
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
    h('details', {}, h('summary', {}, connected ? 'Change credentials or settings' : 'Connect'), form),
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
        el.replaceChildren(last ? h('span', {}, 'Last sync: ', badge(last.state), ` ${last.processed} contacts, ${last.failed} failed `, when(last.created_at), last.last_error ? ` · ${last.last_error}` : '') : 'No sync yet.');
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
    h('div', { class: 'columns' }, Object.keys(VENDORS).map((v) => vendorCard(v, byVendor.get(v), reload))),
  );
}
