import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
// CI installs Debian's chromium (.ci/run) and must run the browser suites; elsewhere they run when it is there.
const mustRun = process.env.CI === 'true' || process.env.REFERLOOP_REQUIRE_SERVICES === '1';
export const describeWithChromium = mustRun || fs.existsSync(CHROMIUM) ? describe : describe.skip;

/** Screenshots for a person to review (test-output/ is gitignored). */
export const SCREENSHOTS = path.resolve(__dirname, '../../test-output/join-share');

/** The customer sites of the embed test resolve to this machine. */
export const SHOP_HOST = 'shop.test';
export const EVIL_HOST = 'evil.test';

export async function launchChromium(): Promise<Browser> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', `--host-resolver-rules=MAP ${SHOP_HOST} 127.0.0.1, MAP ${EVIL_HOST} 127.0.0.1`],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A customer's site on its own origin whose page holds the campaign's embed snippet. */
export async function startCustomerSite(snippet: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme — refer a friend</title></head><body style="font-family:sans-serif;margin:1rem;background:#fafafa">
<h1>Acme</h1><p>Our own page, with the referral program embedded below.</p>
${snippet}
<p>Footer of the customer page.</p></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Poll until `ok` holds (or time runs out, answering the last value for the assertion to show). */
export async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}
