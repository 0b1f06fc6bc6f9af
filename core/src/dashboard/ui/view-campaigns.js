/* global location */
// Campaigns: the list, and one form to create or edit a campaign — destination, codes,
// attribution, reward rules with a plain-language preview, review mode, fraud checks, allowed
// origins — plus what to paste elsewhere: tracking snippet, join form embed, inbound webhook URL.
import { api } from './api.js';
import { h, mount, section, empty, badge, field, select, busy, toast, copyButton, formValues, day, scrollTable } from './dom.js';
import { state, loadCampaigns, chooseCampaign } from './state.js';
import { ruleEditor, readRules } from './rule-editor.js';

export async function renderCampaigns(main) {
  await loadCampaigns();
  mount(
    main,
    h('h1', {}, 'Campaigns'),
    h('p', {}, h('a', { href: '#/campaigns/new', class: 'button' }, 'New campaign')),
    state.campaigns.length === 0
      ? empty('No campaign yet.')
      : scrollTable(
          'Campaigns',
          h(
            'table',
            {},
            h('caption', { class: 'sr-only' }, 'Campaigns'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Name', 'Status', 'Destination', 'Rewards', 'Created'].map((t) => h('th', { scope: 'col' }, t)),
              ),
            ),
            h(
              'tbody',
              {},
              state.campaigns.map((c) =>
                h(
                  'tr',
                  {},
                  h('td', {}, h('a', { href: `#/campaigns/${c.id}` }, c.name), c.test_mode ? h('span', { class: 'badge b-test' }, 'test') : null),
                  h('td', {}, badge(c.status)),
                  h('td', {}, h('span', { class: 'truncate' }, c.destination_url)),
                  h('td', {}, String(c.reward_rules.length)),
                  h('td', {}, day(c.created_at)),
                ),
              ),
            ),
          ),
        ),
  );
}

function num(v) {
  return v === '' || v === undefined ? undefined : Number(v);
}

/** The tracking snippet a site pastes into its pages (the publishable key is the site's own). */
function trackingSnippet() {
  const hub = location.origin;
  return `<script>
!function(w,d,u){w.referloop=w.referloop||function(){(w.referloop.q=w.referloop.q||[]).push(arguments)};
var s=d.createElement('script');s.async=1;s.src=u;d.head.appendChild(s)}(window,document,${JSON.stringify(`${hub}/t.js`)});
referloop('init', {key: 'rl_pk_…your publishable key…'});
</script>`;
}

function pasteBlock(title, text, hint) {
  return h('div', { class: 'paste' }, h('h3', {}, title), hint ? h('p', { class: 'muted' }, hint) : null, h('pre', {}, h('code', {}, text)), copyButton(text, `Copy ${title.toLowerCase()}`));
}

export async function renderCampaignForm(main, id) {
  const c = id ? await api.get(`/v1/campaigns/${encodeURIComponent(id)}`) : null;
  const v = c || {
    status: 'live',
    code: { length: 8, prefix: '' },
    attribution: 'last_click',
    attribution_window_days: 30,
    cookie_days: 30,
    review_mode: 'auto',
    test_mode: false,
    reward_rules: [],
    fraud: { self_referral: true, duplicate_email: true, same_ip: true, disposable_email: true },
    goal: null,
    allowed_origins: [],
  };
  const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', ...attrs });
  const rules = ruleEditor(v.reward_rules);
  const out = h('div', { 'aria-live': 'polite' });
  const save = h('button', { type: 'submit' }, c ? 'Save changes' : 'Create campaign');
  const form = h(
    'form',
    { class: 'campaign-form', novalidate: true },
    section(
      'Basics',
      field('Name', input('name', v.name, { required: true, maxlength: '200' })),
      field('Destination URL', input('destination_url', v.destination_url, { type: 'url', required: true }), 'Where a referral link sends the friend'),
      field('Status', select('status', ['draft', 'live', 'paused', 'ended'], v.status)),
      field('Test mode', input('test_mode', '', { type: 'checkbox', checked: v.test_mode }), 'Referrals are marked as test and kept out of real payouts'),
    ),
    section(
      'Codes and attribution',
      field('Code length', input('code_length', v.code.length, { type: 'number', min: '5', max: '16' })),
      field('Code prefix', input('code_prefix', v.code.prefix, { pattern: '[A-Z0-9-]{0,12}' }), 'Up to 12 upper-case letters, digits or dashes'),
      field(
        'Attribution',
        select(
          'attribution',
          [
            ['last_click', 'Last click'],
            ['first_click', 'First click'],
          ],
          v.attribution,
        ),
      ),
      field('Attribution window (days)', input('attribution_window_days', v.attribution_window_days, { type: 'number', min: '1', max: '365' })),
      field('Cookie lifetime (days)', input('cookie_days', v.cookie_days, { type: 'number', min: '1', max: '400' })),
      field('Goal event', input('goal_event', v.goal ? v.goal.event : ''), 'A conversion with this name qualifies the referral by itself, e.g. purchase'),
      field('Goal minimum amount', input('goal_min', v.goal && v.goal.min_amount !== undefined ? v.goal.min_amount / 100 : '', { type: 'number', min: '0', step: '0.01' })),
      field('Goal currency', input('goal_currency', v.goal ? v.goal.currency : '', { maxlength: '3' })),
    ),
    section('Reward rules', rules.el),
    section(
      'Review and fraud',
      field(
        'Review mode',
        select(
          'review_mode',
          [
            ['auto', 'Automatic: rewards follow their rules'],
            ['manual', 'Manual: every reward waits for a person'],
          ],
          v.review_mode,
        ),
      ),
      field('Flag self-referrals', input('fraud_self_referral', '', { type: 'checkbox', checked: v.fraud.self_referral })),
      field('Flag emails that already joined', input('fraud_duplicate_email', '', { type: 'checkbox', checked: v.fraud.duplicate_email })),
      field('Flag sign-ups from the referrer’s IP', input('fraud_same_ip', '', { type: 'checkbox', checked: v.fraud.same_ip })),
      field('Flag disposable email addresses', input('fraud_disposable_email', '', { type: 'checkbox', checked: v.fraud.disposable_email })),
      field(
        'Allowed origins',
        h('textarea', { name: 'allowed_origins', rows: '3' }, v.allowed_origins.join('\n')),
        'One per line, like https://shop.example.com: sites that may run the snippet and embed the join form',
      ),
    ),
    out,
    h('div', { class: 'actions sticky' }, save, h('a', { href: '#/campaigns', class: 'button secondary' }, 'Cancel')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    busy(save, out, async () => {
      const f = formValues(form);
      const goal = f.goal_event.trim()
        ? { event: f.goal_event.trim(), min_amount: f.goal_min === '' ? undefined : Math.round(Number(f.goal_min) * 100), currency: f.goal_currency.trim() || undefined }
        : null;
      const body = {
        name: f.name,
        destination_url: f.destination_url,
        status: f.status,
        test_mode: f.test_mode,
        code: { length: num(f.code_length), prefix: f.code_prefix },
        attribution: f.attribution,
        attribution_window_days: num(f.attribution_window_days),
        cookie_days: num(f.cookie_days),
        goal,
        reward_rules: readRules(rules.el),
        review_mode: f.review_mode,
        fraud: { self_referral: f.fraud_self_referral, duplicate_email: f.fraud_duplicate_email, same_ip: f.fraud_same_ip, disposable_email: f.fraud_disposable_email },
        allowed_origins: f.allowed_origins.split(/\s+/).filter(Boolean),
      };
      const saved = c ? await api.patch(`/v1/campaigns/${encodeURIComponent(c.id)}`, body) : await api.post('/v1/campaigns', body);
      await loadCampaigns();
      chooseCampaign(saved.id);
      toast(c ? 'Campaign saved' : 'Campaign created');
      if (c) await renderCampaignForm(main, saved.id);
      else location.hash = `#/campaigns/${saved.id}`;
    });
  });

  mount(
    main,
    h('p', {}, h('a', { href: '#/campaigns' }, '← Campaigns')),
    h('h1', {}, c ? `Edit · ${c.name}` : 'New campaign'),
    form,
    c
      ? section(
          'Put it to work',
          pasteBlock('Tracking snippet', trackingSnippet(), 'Paste into every page of your site; it remembers the referral click and tracks sign-ups and purchases.'),
          pasteBlock('Join form embed', c.embed.snippet, `Or link to the hosted join page: ${c.join_url}`),
          pasteBlock('Inbound webhook URL', c.inbound_webhook_url, 'POST here from any system to qualify a referral (by code or email).'),
        )
      : null,
  );
}
