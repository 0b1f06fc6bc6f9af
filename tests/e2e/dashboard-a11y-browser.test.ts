import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFakePipedrive, type FakePipedrive } from '../fakes/pipedrive';
import { addParticipant, createCampaign } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { CHROMIUM, SHOTS, describeInBrowser } from './dashboard-session';

// Evaluated through the DevTools protocol: the dashboard's CSP (rightly) refuses an injected <script>.
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
jest.setTimeout(240_000);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Run axe-core (WCAG 2.1 A and AA rules) on the page as it is now; answer its violations. */
async function audit(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return result.violations;
  });
  return violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describeInBrowser('dashboard accessibility and small screens', () => {
  let t: TestHub;
  let pd: FakePipedrive;
  let browser: Browser;
  let page: Page;
  let referredId: string;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    pd = await startFakePipedrive();
    t = await startTestHub();
    // Something on every page: a campaign needing manual review, a referral, a flagged one, a
    // pending reward, a webhook endpoint with a delivery, a connected CRM.
    const c = await createCampaign(t, { name: 'Accessible referrals', review_mode: 'manual' });
    const alice = await addParticipant(t, { campaign_id: c.id, email: 'alice@a11y.example.com', first_name: 'Alice' });
    const bob = await addParticipant(t, { campaign_id: c.id, email: 'bob@friends.example.com', first_name: 'Bob', referrer_code: alice.code });
    await addParticipant(t, { campaign_id: c.id, email: 'alice+again@a11y.example.com', referrer_code: alice.code });
    referredId = bob.id;
    await t.api('/v1/referrals/qualify', { body: { participant_id: bob.id } });
    await t.api('/v1/webhooks', { body: { url: 'https://hooks.example.com/referloop', events: ['referral.qualified'] } });
    const connected = await t.api('/v1/integrations/pipedrive', { method: 'PUT', body: { credentials: { api_token: pd.apiToken }, settings: { pipeline_id: 2 }, api_base_url: pd.url } });
    expect(connected.status).toBe(200);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(60_000);
    await page.goto(`${t.url}/app`);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await pd?.close();
  }, 60_000);

  const pages: Array<[string, string, RegExp]> = [
    ['overview', '#/overview', /Overview/],
    ['leads', '#/leads', /Leads/],
    ['participant', '#/participants/:id', /Bob/],
    ['review', '#/review', /Review/],
    ['campaigns', '#/campaigns', /Campaigns/],
    ['campaign form', '#/campaigns/new', /New campaign/],
    ['integrations', '#/integrations', /Integrations/],
    ['webhooks', '#/webhooks', /Webhooks/],
    ['imports', '#/imports', /Imports/],
  ];

  it('has no WCAG 2.1 A/AA violations on the sign-in page, and the audit does catch one', async () => {
    await page.getByLabel('Secret API key').waitFor();
    expect(await audit(page)).toEqual([]);
    // The audit is real: an unlabelled control added to the page is reported.
    await page.evaluate(() => document.querySelector('form')?.append(document.createElement('input')));
    expect((await audit(page)).join('\n')).toMatch(/^label \(critical\)/m);
    await page.reload();
  });

  it('has no WCAG 2.1 A/AA violations on any page once signed in', async () => {
    await page.getByLabel('Secret API key').fill(t.secretKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Overview/ }).waitFor();
    const found: Record<string, string[]> = {};
    for (const [name, hash, heading] of pages) {
      await page.goto(`${t.url}/app${hash.replace(':id', referredId)}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      if (name === 'integrations') {
        // Open every form so the settings controls are audited too.
        for (const summary of await page.locator('summary').all()) await summary.click();
        await page.getByText(/^Choices loaded from Pipedrive/).waitFor();
      }
      const violations = await audit(page);
      if (violations.length) found[name] = violations;
    }
    expect(found).toEqual({});
  });

  it('fits a phone screen without sideways scrolling and keeps the navigation reachable by keyboard', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    const overflowing: string[] = [];
    for (const [name, hash, heading] of pages) {
      await page.goto(`${t.url}/app${hash.replace(':id', referredId)}`);
      await page.getByRole('heading', { level: 1, name: heading }).waitFor();
      await page.waitForLoadState('networkidle');
      const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (wide > 1) overflowing.push(`${name}: ${wide}px too wide`);
      if (name === 'overview' || name === 'integrations') await page.screenshot({ path: path.join(SHOTS, `30-phone-${name}.png`), fullPage: true });
    }
    expect(overflowing).toEqual([]);

    // The skip link comes first and moves focus to the content; the nav links follow by Tab.
    await page.goto(`${t.url}/app#/overview`);
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /Overview/ }).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('main');
  });
});
