import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startFakePipedrive, type FakePipedrive } from '../fakes/pipedrive';
import { createCampaign } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';

const CHROMIUM = '/usr/bin/chromium';
const mustRun = process.env.CI === 'true' || process.env.REFERLOOP_REQUIRE_SERVICES === '1';
const run = mustRun || fs.existsSync(CHROMIUM) ? describe : describe.skip;
const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'dashboard');
jest.setTimeout(180_000);

run('dashboard integrations page against a Pipedrive fake', () => {
  let t: TestHub;
  let pd: FakePipedrive;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    pd = await startFakePipedrive();
    t = await startTestHub({ worker: { retryDelayScale: 0.001 } });
    await createCampaign(t);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(60_000);
    page = await context.newPage();
    await page.goto(`${t.url}/app`);
    await page.getByLabel('Secret API key').fill(t.secretKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /Overview/ }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await pd?.close();
  }, 60_000);

  it('connects Pipedrive, syncs its persons with a live progress bar, and disconnects', async () => {
    // Two pages of Pipedrive's 500: the bar moves while the second is read. Pipedrive tells no total,
    // so the bar is indeterminate until the run ends.
    pd.seedPersons(600);
    await page.getByRole('navigation').getByRole('link', { name: 'Integrations' }).click();
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Pipedrive' }) });
    await card.getByText('not connected').waitFor();
    await card.getByText('Connect', { exact: true }).click();
    await card.getByLabel('API token').fill(pd.apiToken);
    await card.getByLabel('Settings (JSON)').fill(JSON.stringify({ pipeline_id: 2, qualified_stage_id: 13, create_fields: true }));
    await card.getByLabel('API base URL (optional)').fill(pd.url);
    await card.getByRole('button', { name: 'Connect Pipedrive' }).click();
    await card.locator('.badge', { hasText: /^connected$/ }).waitFor();
    expect((await t.api('/v1/integrations/pipedrive')).body.status).toBe('connected');

    await card.getByRole('button', { name: 'Sync contacts' }).click();
    const bar = card.getByRole('progressbar', { name: 'pipedrive sync progress' });
    await bar.waitFor();
    await card.getByText(/^completed: 600 contacts · 600 created/).waitFor().catch(async (err) => {
      throw new Error(`${err}\n${await card.innerText()}\n${JSON.stringify((await t.api('/v1/integrations/pipedrive/syncs')).body)}`);
    });
    await expect(bar.evaluate((el: HTMLProgressElement) => [el.value, el.max])).resolves.toEqual([100, 100]);
    await card.getByText(/Last sync: completed 600 contacts, 0 failed/).waitFor();
    await page.screenshot({ path: path.join(SHOTS, '15-integrations-synced.png'), fullPage: true });
    const participants = await t.api('/v1/participants?type=imported&limit=1');
    expect(participants.body.data).toHaveLength(1);

    await card.getByRole('button', { name: 'Disconnect Pipedrive' }).click();
    await card.locator('.badge', { hasText: /^disconnected$/ }).waitFor();
    expect((await t.api('/v1/integrations/pipedrive')).body.status).toBe('disconnected');
  });
});
