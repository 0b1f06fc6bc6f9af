import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestHub, type TestHub } from '../support/hub';
import { CHROMIUM, SHOTS, describeInBrowser } from './dashboard-session';

// A hub start and a browser launch take a while on a busy 2-core machine.
jest.setTimeout(180_000);

describeInBrowser('team dashboard in a real browser', () => {
  let t: TestHub;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name });
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    t = await startTestHub();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(60_000);
    page = await context.newPage();
    // A CSP violation or a script error would break the page silently: collect them and fail.
    page.on('pageerror', (err) => errors.push(err.message));
    page.on('console', (msg) => {
      // 401/403 answers are expected (bad key, signed out); they are checked by the tests themselves.
      if (msg.type() === 'error' && !/status of 40[13]/.test(msg.text())) errors.push(msg.text());
    });
    page.on('response', (res) => {
      if (res.status() === 404 || res.status() >= 500) errors.push(`${res.status()} ${res.url()}`);
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  }, 60_000);

  it('refuses a bad key and signs in with the secret key, which the page does not keep', async () => {
    await page.goto(`${t.url}/app`);
    await page.getByLabel('Secret API key').fill('rl_sk_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('The API key is not valid or has been revoked').waitFor();
    await shot('01-sign-in-refused');

    await page.getByLabel('Secret API key').fill(t.publishableKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText(/Sign in with a secret key/).waitFor();

    // By keyboard: the field, the key, Enter.
    await page.getByLabel('Secret API key').fill('');
    await page.getByLabel('Secret API key').focus();
    await page.keyboard.type(t.secretKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByText('There is no campaign yet').waitFor();

    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'rl_dash');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(session?.value).not.toContain(t.secretKey);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
    expect(stored).not.toContain(t.secretKey);
    expect(stored).not.toContain('rl_dash');
  });

  it('creates a campaign with reward rules and shows each rule in plain words', async () => {
    await nav('Campaigns').click();
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByLabel('Name').fill('Friends of Acme');
    await page.getByLabel('Destination URL').fill('https://acme.example.com/signup');
    await page.getByLabel('Review mode').selectOption('manual');
    await page.getByLabel('Allowed origins').fill('https://acme.example.com');

    await page.getByRole('button', { name: 'Add a reward rule' }).click();
    const first = page.locator('fieldset.rule').nth(0);
    await first.getByLabel('When').selectOption('every_nth');
    await first.getByLabel('N', { exact: true }).fill('3');
    await first.getByLabel('Reward').selectOption('custom');
    await first.getByLabel('Description').fill('1 free month');
    await first.getByLabel('Amount').fill('');
    await first.getByLabel('Currency').fill('');
    await expect(first.locator('.preview').textContent()).resolves.toBe('every 3rd qualified friend → 1 free month for the referrer');

    await page.getByRole('button', { name: 'Add a reward rule' }).click();
    const second = page.locator('fieldset.rule').nth(1);
    await second.getByLabel('Amount').fill('10');
    await second.getByLabel('Approval').selectOption('manual');
    await expect(second.locator('.preview').textContent()).resolves.toBe('each qualified friend → $10.00 credit for the referrer (approved by a person)');
    await shot('02-campaign-form');

    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { name: 'Edit · Friends of Acme' }).waitFor();
    await page.getByRole('heading', { name: 'Tracking snippet' }).waitFor();
    await page.getByText('/hooks/inbound/').first().waitFor();
    await shot('03-campaign-edit');

    const list = await t.api('/v1/campaigns');
    expect(list.body.data).toHaveLength(1);
    const c = list.body.data[0];
    expect(c).toMatchObject({ name: 'Friends of Acme', review_mode: 'manual', allowed_origins: ['https://acme.example.com'] });
    expect(c.reward_rules).toMatchObject([
      { trigger: 'every_nth', n: 3, kind: 'custom', description: '1 free month', recipient: 'referrer' },
      { trigger: 'each_qualified', kind: 'credit', amount: 1000, currency: 'USD', approval: 'manual' },
    ]);

    // Edit: a goal and a second origin; the rules keep their ids.
    await page.getByLabel('Goal event').fill('purchase');
    await page.getByLabel('Goal minimum amount').fill('20');
    await page.getByLabel('Goal currency').fill('usd');
    await page.getByLabel('Allowed origins').fill('https://acme.example.com\nhttps://www.acme.example.com');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText('Campaign saved').waitFor();
    const edited = (await t.api(`/v1/campaigns/${c.id}`)).body;
    expect(edited).toMatchObject({ goal: { event: 'purchase', min_amount: 2000, currency: 'USD' }, allowed_origins: ['https://acme.example.com', 'https://www.acme.example.com'] });
    expect(edited.reward_rules.map((r: any) => r.id)).toEqual(c.reward_rules.map((r: any) => r.id));
  });

  it('shows a referred participant arriving, qualifies it by hand, approves and issues the reward, with the timeline', async () => {
    const c = (await t.api('/v1/campaigns')).body.data[0];
    const alice = await t.api('/v1/participants', { body: { campaign_id: c.id, email: 'alice@acme-customers.com', first_name: 'Alice', last_name: 'Sharer' } });
    const bob = await t.api('/v1/participants', {
      body: { campaign_id: c.id, email: 'bob@friends-of-alice.com', first_name: 'Bob', last_name: 'Friend', referrer_code: alice.body.code },
    });
    expect(bob.status).toBe(201);

    await nav('Leads').click();
    const row = page.getByRole('row', { name: /Bob Friend/ });
    await row.waitFor();
    await expect(row.getByText('pending').count()).resolves.toBe(1);
    await expect(row.getByRole('link', { name: alice.body.code }).count()).resolves.toBe(1);
    await shot('04-leads');

    await row.getByRole('link', { name: 'Bob Friend' }).click();
    await page.getByRole('heading', { name: 'Bob Friend' }).waitFor();
    await page.getByLabel('Reason (kept in the timeline)').fill('Paid by bank transfer, invoice 1042');
    await page.getByRole('button', { name: 'Qualify', exact: true }).click();
    await page.locator('dd .badge', { hasText: 'qualified' }).waitFor();
    const timeline = page.locator('ol.timeline');
    await timeline.getByText('Paid by bank transfer, invoice 1042').waitFor();
    await expect(page.locator('img.qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).resolves.toBe(true);
    await shot('05-participant');
    expect((await t.api(`/v1/participants/${bob.body.id}`)).body.referral_status).toBe('qualified');

    await nav('Review').click();
    const pending = page.locator('section', { has: page.getByRole('heading', { name: 'Rewards waiting for approval' }) });
    await pending.getByRole('row', { name: /\$10\.00 credit/ }).waitFor();
    await shot('06-review');
    await pending.getByRole('checkbox', { name: 'Select all' }).check();
    await pending.getByRole('button', { name: 'Approve selected' }).click();
    const approved = page.locator('section', { has: page.getByRole('heading', { name: 'Approved rewards to issue' }) });
    await approved.getByRole('button', { name: 'Mark issued $10.00 credit' }).click();
    await page.getByText('No approved reward waits to be issued.').waitFor();

    const rewards = await t.api(`/v1/rewards?referral_id=${bob.body.id}`);
    expect(rewards.body.data).toMatchObject([{ status: 'issued', participant_id: alice.body.id, amount: 1000 }]);

    await page.goto(`${t.url}/app#/participants/${bob.body.id}`);
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    await page.locator('.plain .badge', { hasText: 'issued' }).waitFor();
    await shot('07-participant-after-review');

    await nav('Overview').click();
    await page.getByRole('img', { name: /Referred sign-ups per day: 1 in the last 30 days/ }).waitFor();
    await page.getByRole('row', { name: /Alice Sharer/ }).waitFor();
    await shot('08-overview');
  });

  it('renders the integrations, webhooks and imports pages', async () => {
    await nav('Integrations').click();
    await page.getByRole('heading', { name: 'Pipedrive' }).waitFor();
    await shot('09-integrations');

    await nav('Webhooks').click();
    await page.getByRole('heading', { name: 'Subscribe a URL' }).waitFor();
    await page.getByLabel('Endpoint URL').fill(`${t.url}/healthz`);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByText('Signing secret of the new endpoint').waitFor();
    const endpoint = (await t.api('/v1/webhooks')).body.data[0];

    // An event after the subscription: its delivery fails (POST /healthz answers 404) and shows in the log.
    const c = (await t.api('/v1/campaigns')).body.data[0];
    await t.api('/v1/participants', { body: { campaign_id: c.id, email: 'carol@hooks.example.com' } });
    const failed = page.getByRole('row', { name: /participant\.created/ }).first();
    for (let i = 0; i < 60 && (await failed.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
    }
    await expect(failed.getByText('404').count()).resolves.toBe(1);
    await shot('10-webhooks');
    await failed.getByRole('button', { name: /Redeliver participant\.created/ }).click();
    await page.getByText('Redelivery queued').waitFor();
    const log = await t.api(`/v1/webhooks/${endpoint.id}/deliveries`);
    expect(log.body.data.filter((d: any) => d.event_type === 'participant.created' && d.retry_of)).toHaveLength(1);

    await nav('Imports').click();
    await page.getByLabel('CSV file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from('email\nbob@friends-of-alice.com\nnobody@nowhere.example\nnot-an-email\n') });
    await page.getByRole('button', { name: 'Upload CSV' }).click();
    await page.locator('.summary').waitFor();
    await shot('11-imports');
    const summary = await page.locator('.summary dl').innerText();
    expect(summary).toMatch(/Rows read\s+3/);
    expect(summary).toMatch(/Already qualified\s+1/);
    expect(summary).toMatch(/Not found\s+1/);
    expect(summary).toMatch(/Invalid\s+1/);
  });

  it('reviews a flagged referral with its fraud reason, and lists a delayed reward with its release date', async () => {
    const c = (await t.api('/v1/campaigns')).body.data[0];
    const alice = (await t.api('/v1/participants?email=alice@acme-customers.com')).body.data[0];
    // The same mailbox as the referrer behind a plus-tag: the self-referral check holds it.
    const sneaky = await t.api('/v1/participants', { body: { campaign_id: c.id, email: 'alice+friend@acme-customers.com', referrer_code: alice.code } });
    expect(sneaky.body.referral_status).toBe('flagged');

    await nav('Review').click();
    const item = page.locator('li.review-item', { hasText: 'alice+friend@acme-customers.com' });
    await item.getByText('self referral').waitFor();
    await shot('12-review-flagged');
    await item.getByLabel(/Reason for/).fill('Her sister, different household');
    await item.getByRole('button', { name: 'Approve referral' }).click();
    await page.getByText('No referral is held for review.').waitFor();
    expect((await t.api(`/v1/participants/${sneaky.body.id}`)).body.referral_status).toBe('pending');

    await t.api('/v1/referrals/qualify', { body: { participant_id: sneaky.body.id } });
    const reward = (await t.api(`/v1/rewards?referral_id=${sneaky.body.id}`)).body.data[0];
    const delayed = await t.api(`/v1/rewards/${reward.id}/delay`, { body: { until: '2030-01-15T00:00:00.000Z', reason: 'refund window' } });
    expect(delayed.body.status).toBe('delayed');
    await page.reload();
    const held = page.locator('section', { has: page.getByRole('heading', { name: 'Delayed rewards (hold period)' }) });
    await held.getByRole('row', { name: /Jan 15, 2030/ }).waitFor();
    await shot('13-review-delayed');
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await nav('Leads').click();
    await page.getByRole('link', { name: 'Bob Friend' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot('14-leads-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('refuses a cookie-authenticated write without the right CSRF token and changes nothing', async () => {
    const bob = (await t.api('/v1/participants?email=bob@friends-of-alice.com')).body.data[0];
    const req = context.request;
    expect((await req.get(`${t.url}/v1/participants/${bob.id}`)).status()).toBe(200);
    const missing = await req.post(`${t.url}/v1/referrals/unqualify`, { data: { participant_id: bob.id } });
    expect(missing.status()).toBe(403);
    const wrong = await req.post(`${t.url}/v1/referrals/unqualify`, { data: { participant_id: bob.id }, headers: { 'x-csrf-token': 'f'.repeat(64) } });
    expect(wrong.status()).toBe(403);
    expect((await wrong.json()).detail).toMatch(/X-CSRF-Token/);
    expect((await t.api(`/v1/participants/${bob.id}`)).body.referral_status).toBe('qualified');
  });

  it('signs out: the cookie no longer opens the API', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Secret API key').waitFor();
    expect((await context.request.get(`${t.url}/v1/me`)).status()).toBe(401);
    expect(errors).toEqual([]);
  });
});
