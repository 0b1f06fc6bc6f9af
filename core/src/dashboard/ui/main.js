/* global document, window, location */
// The dashboard shell: sign-in, navigation, the campaign picker, and a fragment router
// (#/leads, #/participants/par_…) so the hub serves one page at /app.
import { currentSession, signIn, signOut, whenSignedOut } from './api.js';
import { h, mount, field, errorBox, select, busy } from './dom.js';
import { state, loadCampaigns, chooseCampaign } from './state.js';
import { renderOverview } from './view-overview.js';
import { renderLeads } from './view-leads.js';
import { renderParticipant } from './view-participant.js';
import { renderReview } from './view-review.js';
import { renderCampaigns, renderCampaignForm } from './view-campaigns.js';
import { renderIntegrations } from './view-integrations.js';
import { renderWebhooks } from './view-webhooks.js';
import { renderImports } from './view-imports.js';

const NAV = [
  ['overview', 'Overview'],
  ['leads', 'Leads'],
  ['review', 'Review'],
  ['campaigns', 'Campaigns'],
  ['integrations', 'Integrations'],
  ['webhooks', 'Webhooks'],
  ['imports', 'Imports'],
];

const routes = [
  [/^overview$/, () => renderOverview],
  [/^leads$/, () => renderLeads],
  [/^participants\/([\w-]+)$/, (id) => (main) => renderParticipant(main, id)],
  [/^review$/, () => renderReview],
  [/^campaigns$/, () => renderCampaigns],
  [/^campaigns\/new$/, () => (main) => renderCampaignForm(main, null)],
  [/^campaigns\/([\w-]+)$/, (id) => (main) => renderCampaignForm(main, id)],
  [/^integrations$/, () => renderIntegrations],
  [/^webhooks$/, () => renderWebhooks],
  [/^imports$/, () => renderImports],
];

const root = document.getElementById('app');

function renderSignIn(message) {
  const input = h('input', { type: 'password', name: 'key', autocomplete: 'off', required: true, spellcheck: 'false', placeholder: 'rl_sk_…' });
  const out = h('div', { 'aria-live': 'polite' }, message ? errorBox({ message }) : null);
  const button = h('button', { type: 'submit' }, 'Sign in');
  const form = h(
    'form',
    { class: 'card signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Referloop'),
    h('p', {}, 'Sign in with a secret API key of your workspace. The key is exchanged for a session cookie and is not kept in this browser.'),
    field('Secret API key', input, 'The hub printed one on its first start; make another with: referloop keys create'),
    out,
    button,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(button, out, async () => {
      state.session = await signIn(input.value.trim());
      input.value = '';
      await start();
    });
  });
  mount(root, h('main', { id: 'main', class: 'center' }, form));
  input.focus();
}

function shell(page) {
  const picker = select(
    'campaign',
    state.campaigns.length ? state.campaigns.map((c) => [c.id, c.name]) : [['', 'No campaigns yet']],
    state.campaignId,
  );
  picker.id = 'campaign-picker';
  picker.addEventListener('change', () => {
    chooseCampaign(picker.value);
    route();
  });
  const out = h('button', { type: 'button', class: 'secondary small' }, 'Sign out');
  out.addEventListener('click', async () => {
    await signOut().catch(() => undefined);
    state.session = null;
    location.hash = '#/signin';
    renderSignIn();
  });
  const nav = h(
    'nav',
    { 'aria-label': 'Dashboard sections' },
    h('ul', {}, NAV.map(([id, label]) => h('li', {}, h('a', { href: `#/${id}`, 'aria-current': page === id ? 'page' : null }, label)))),
  );
  const main = h('main', { id: 'main', tabindex: '-1' });
  mount(
    root,
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, 'Referloop'),
      h('span', { class: 'ws' }, state.session.workspace_name || state.session.workspace_id),
      h('div', { class: 'picker' }, h('label', { for: 'campaign-picker' }, 'Campaign'), picker),
      out,
    ),
    nav,
    main,
    h('div', { id: 'toast', role: 'status', 'aria-live': 'polite' }),
  );
  return main;
}

async function route() {
  if (!state.session) return;
  const path = (location.hash || '#/overview').replace(/^#\/?/, '') || 'overview';
  let view = null;
  for (const [re, make] of routes) {
    const m = re.exec(path);
    if (m) {
      view = make(...m.slice(1));
      break;
    }
  }
  const main = shell(path.split('/')[0] === 'participants' ? 'leads' : path.split('/')[0]);
  if (!view) {
    mount(main, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/overview' }, 'Back to the overview')));
    return;
  }
  try {
    await view(main);
  } catch (err) {
    main.append(errorBox(err));
  }
  document.title = `${(main.querySelector('h1') || {}).textContent || 'Dashboard'} · Referloop`;
}

async function start() {
  try {
    state.session = state.session || (await currentSession());
  } catch {
    renderSignIn();
    return;
  }
  await loadCampaigns();
  if (!location.hash || location.hash === '#/signin') location.hash = '#/overview';
  else await route();
}

whenSignedOut(() => {
  state.session = null;
  renderSignIn('Your session has ended; sign in again.');
});
// A new page announces itself: focus goes to its content (not when the campaign picker redraws it).
window.addEventListener('hashchange', async () => {
  await route();
  const main = document.getElementById('main');
  if (main && state.session) main.focus({ preventScroll: true });
});
// The skip link must not go through the fragment router ("#main" is not a page): it moves focus.
document.querySelector('a.skip')?.addEventListener('click', (e) => {
  e.preventDefault();
  const main = document.getElementById('main');
  if (main) main.focus();
});
start();
