import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TestHub } from '../support/hub';

/** Debian's chromium, installed by .ci/run. */
export const CHROMIUM = '/usr/bin/chromium';
// CI installs chromium and must run the browser suites; elsewhere they run when chromium is there.
const mustRun = process.env.CI === 'true' || process.env.REFERLOOP_REQUIRE_SERVICES === '1';
export const describeInBrowser = mustRun || fs.existsSync(CHROMIUM) ? describe : describe.skip;
export const SHOTS = path.join(__dirname, '..', '..', 'test-output', 'dashboard');

export interface DashboardSession {
  browser: Browser;
  page: Page;
  /** a full-page screenshot under test-output/dashboard/, for a person to look at */
  shot(name: string): Promise<void>;
  /** page errors, console errors and failed requests seen so far (a CSP violation shows up here) */
  errors: string[];
  close(): Promise<void>;
}

/** Chromium on the hub's dashboard, signed in with the hub's secret key. */
export async function openDashboard(t: TestHub, opts: { width?: number; height?: number } = {}): Promise<DashboardSession> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  const context = await browser.newContext({ viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 } });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('console', (msg) => {
    // Refusals the tests provoke on purpose (400 on bad settings) are logged by the browser too.
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) errors.push(msg.text());
  });
  page.on('response', (res) => {
    if (res.status() === 404 || res.status() >= 500) errors.push(`${res.status()} ${res.url()}`);
  });
  await page.goto(`${t.url}/app`);
  await page.getByLabel('Secret API key').fill(t.secretKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: /Overview/ }).waitFor();
  return {
    browser,
    page,
    errors,
    shot: async (name) => {
      await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    },
    close: () => browser.close(),
  };
}
