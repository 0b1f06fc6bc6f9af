// Connect or reconfigure one integration: write-only credentials, the settings form with its
// pickers, and where the choices come from — the connected account, or (before the first connect)
// the credentials just typed, which are sent to the hub to look but not saved.
import { api } from './api.js';
import { h, field, busy, toast, errorBox } from './dom.js';
import { settingsForm } from './settings-form.js';
import { state } from './state.js';

export const VENDORS = {
  pipedrive: { name: 'Pipedrive', picks: true, credentials: [['api_token', 'API token']] },
  hubspot: { name: 'HubSpot', picks: true, credentials: [['access_token', 'Private app access token']] },
  salesforce: {
    name: 'Salesforce',
    picks: true,
    credentials: [
      ['instance_url', 'Instance URL'],
      ['access_token', 'Access token'],
      ['refresh_token', 'Refresh token (optional)'],
    ],
  },
  stripe: {
    name: 'Stripe',
    picks: false,
    credentials: [
      ['secret_key', 'Secret or restricted key'],
      ['webhook_secret', 'Webhook signing secret (optional)'],
    ],
  },
};

/** "2 pipelines · 3 lifecycle stages · 40 person fields" */
function describe(options) {
  const parts = [];
  if (options.pipelines.length) parts.push(`${options.pipelines.length} pipeline${options.pipelines.length === 1 ? '' : 's'}`);
  for (const [list, values] of Object.entries(options.picklists)) parts.push(`${values.length} ${list.replace(/_/g, ' ')} values`);
  for (const [record, fields] of Object.entries(options.fields)) parts.push(`${fields.length} ${record} fields`);
  return parts.join(' · ') || 'nothing to pick from';
}

/**
 * The form of one vendor card. `integration` is the stored one (or undefined); `onSaved` reloads
 * the page section after a save.
 */
export function integrationForm(vendor, integration, onSaved) {
  const meta = VENDORS[vendor];
  const connected = Boolean(integration && integration.status !== 'disconnected');
  const out = h('div', { 'aria-live': 'polite' });
  const creds = meta.credentials.map(([name, label]) => ({
    name,
    input: h('input', { name, type: name.includes('url') ? 'url' : 'password', autocomplete: 'off', placeholder: connected ? 'Saved (leave empty to keep)' : '' }),
    label,
  }));
  const base = h('input', { name: 'api_base_url', type: 'url', value: integration && integration.api_base_url ? integration.api_base_url : '' });
  const settings = settingsForm({ vendor, name: meta.name, settings: integration && integration.status !== 'disconnected' ? integration.settings : {}, campaigns: state.campaigns });
  const typedCredentials = () => {
    const c = {};
    for (const { name, input } of creds) if (input.value.trim()) c[name] = input.value.trim();
    return c;
  };

  // Choices from the account: the stored credentials once connected, else the ones typed above.
  const picksStatus = h('p', { class: 'hint', role: 'status' });
  const load = h('button', { type: 'button', class: 'secondary' }, `Load choices from ${meta.name}`);
  let loaded = false;
  const loadOptions = () =>
    busy(load, picksStatus, async () => {
      const typed = typedCredentials();
      const body = {};
      if (Object.keys(typed).length) body.credentials = typed;
      if (base.value.trim()) body.api_base_url = base.value.trim();
      picksStatus.textContent = `Loading choices from ${meta.name}…`;
      const options = connected && !body.credentials && !body.api_base_url ? await api.get(`/v1/integrations/${vendor}/options`) : await api.post(`/v1/integrations/${vendor}/options`, body);
      settings.setOptions(options);
      loaded = true;
      picksStatus.textContent = `Choices loaded from ${meta.name}: ${describe(options)}.`;
      load.textContent = `Reload choices from ${meta.name}`;
    });
  load.addEventListener('click', loadOptions);

  const save = h('button', { type: 'submit' }, connected ? 'Save' : `Connect ${meta.name}`);
  const form = h(
    'form',
    { class: 'integration-form' },
    creds.map(({ input, label }) => field(label, input)),
    field('API base URL (optional)', base, 'Only for a sandbox or a proxy'),
    meta.picks ? h('div', { class: 'actions' }, load, picksStatus) : null,
    settings.el,
    h('div', { class: 'actions' }, save),
    out,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, out, async () => {
      const body = { settings: settings.read() };
      const credentials = typedCredentials();
      if (Object.keys(credentials).length) body.credentials = credentials;
      if (base.value.trim()) body.api_base_url = base.value.trim();
      else if (integration && integration.api_base_url) body.api_base_url = null;
      await api.put(`/v1/integrations/${vendor}`, body);
      for (const { input } of creds) input.value = '';
      toast(`${meta.name} saved`);
      await onSaved();
    });
  });

  // Before a first connect the form starts from what the connector applies by default.
  if (!connected) {
    api
      .get(`/v1/integrations/${vendor}/defaults`)
      .then((d) => settings.reset(d.settings))
      .catch((err) => out.append(errorBox(err)));
  }

  const details = h('details', { class: 'connect' }, h('summary', {}, connected ? 'Change credentials or settings' : 'Connect'), form);
  // Once connected, opening the form loads the account's choices by itself.
  if (connected && meta.picks) {
    details.addEventListener('toggle', () => {
      if (details.open && !loaded) loadOptions();
    });
  }
  return details;
}
