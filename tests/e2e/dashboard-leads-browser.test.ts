import { isDeepStrictEqual } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import { addParticipant, clickLink, createCampaign } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { describeInBrowser, openDashboard, type DashboardSession } from './dashboard-session';

// A hub start and a browser launch take a while on a busy 2-core machine.
jest.setTimeout(180_000);
const DAY = 86_400_000;
const BROWSER_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36';

/** Read `get` until it equals `expected` (results land asynchronously), then assert on the last read. */
async function eventually<T>(get: () => Promise<T>, expected: T, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let value = await get();
  while (!isDeepStrictEqual(value, expected) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    value = await get();
  }
  expect(value).toEqual(expected);
}

/** "Mar 3" as the chart writes a UTC day. */
const shortDay = (at: Date) => at.toLocaleDateString('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

describeInBrowser('dashboard overview chart and leads search in a real browser', () => {
  let t: TestHub;
  let dash: DashboardSession;
  let page: Page;
  // The hub's clock: moved back to seed sign-ups and qualifications on earlier days, then real again.
  let clock: Date | null = null;
  const now = new Date();
  const daysAgo = (n: number) => new Date(now.getTime() - n * DAY);
  const rows = () => page.locator('table.leads tbody tr');
  const leadNames = async () => (await rows().locator('td:first-child > a').allInnerTexts()).map((s) => s.trim());
  const nav = (name: string) => page.getByRole('navigation').getByRole('link', { name });

  /** Wait until the leads table shows exactly `names` (a search or a page change lands asynchronously). */
  async function expectLeads(names: string[]) {
    await eventually(leadNames, names);
  }
  async function firstLeadIs(name: string, count: number) {
    await eventually(async () => [(await leadNames())[0], await rows().count()], [name, count]);
  }

  beforeAll(async () => {
    t = await startTestHub({ now: () => clock ?? new Date() });
    const c = await createCampaign(t, { name: 'Spring referrals' });
    const rita = await addParticipant(t, { campaign_id: c.id, email: 'rita@sharers.example.com', first_name: 'Rita', last_name: 'Sharer', code: 'RITA-SHARES' });
    const sam = await addParticipant(t, { campaign_id: c.id, email: 'sam@sharers.example.com', first_name: 'Sam', last_name: 'Sharer', code: 'SAM-SHARES' });
    // 30 referred sign-ups: 5 six days ago, 6 four days ago, 7 two days ago, 4 yesterday, 8 today.
    const plan = [6, 6, 6, 6, 6, 4, 4, 4, 4, 4, 4, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0];
    const friends = [];
    for (const [i, ago] of plan.entries()) {
      clock = daysAgo(ago);
      const letter = String.fromCharCode(65 + (i < 22 ? i : i - 22));
      const body =
        i < 22
          ? { email: `friend.${letter.toLowerCase()}@rita-circle.example.com`, first_name: 'Friend', last_name: letter, referrer_code: rita.code }
          : i < 29
            ? { email: `pal.${letter.toLowerCase()}@sam-circle.example.com`, first_name: 'Pal', last_name: letter, referrer_code: sam.code }
            : { email: 'zelda.unique@far-away.example.com', first_name: 'Zelda', last_name: 'Unique', referrer_code: sam.code };
      friends.push(await addParticipant(t, { campaign_id: c.id, ...body }));
    }
    // 6 qualified: 2 two days ago, 1 yesterday, 3 today.
    for (const [i, ago] of [[0, 2], [1, 2], [6, 1], [11, 0], [12, 0], [29, 0]]) {
      clock = daysAgo(ago);
      const res = await t.api('/v1/referrals/qualify', { body: { participant_id: friends[i].id } });
      expect(res.status).toBe(200);
    }
    clock = null;
    for (let i = 0; i < 3; i++) await clickLink(rita.referral_link, { 'user-agent': BROWSER_UA });
    await clickLink(rita.referral_link, { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    await t.hub.clicks.flush();

    dash = await openDashboard(t);
    page = dash.page;
  }, 180_000);
  afterAll(async () => {
    await dash?.close();
    await t?.close();
  }, 60_000);

  it('draws referred and qualified sign-ups per day from the hub, with a legend, a text summary and the figures per day', async () => {
    const chart = page.getByRole('img', { name: /Referred sign-ups per day: 30 in the last 30 days, at most 8 on one day; qualified referrals per day: 6/ });
    await chart.waitFor();
    const section = page.locator('section', { has: page.getByRole('heading', { name: 'Referrals over time' }) });
    await expect(section.locator('.legend').innerText()).resolves.toMatch(/Referred sign-ups \(solid\)\s+Qualified referrals \(hatched\)/);
    const summary = await section.locator('.chart-summary').innerText();
    expect(summary).toBe(
      `Last 30 days (${shortDay(daysAgo(29))} – ${shortDay(now)}): 30 referred sign-ups, 6 qualified referrals, 3 clicks by people. Busiest day: ${shortDay(now)} with 8 sign-ups.`,
    );
    // One solid bar per day with sign-ups, one hatched bar per day with qualifications.
    await expect(chart.locator('rect.bar').count()).resolves.toBe(5);
    await expect(chart.locator('rect[fill^="url(#"]').count()).resolves.toBe(3);

    await section.getByText('Figures per day').click();
    const table = section.getByRole('table');
    const row = (ago: number) => table.getByRole('row', { name: new RegExp(`^${shortDay(daysAgo(ago))} `) });
    await expect(row(0).innerText()).resolves.toMatch(/8\s+3\s+3$/);
    await expect(row(2).innerText()).resolves.toMatch(/7\s+2\s+0$/);
    await expect(row(6).innerText()).resolves.toMatch(/5\s+0\s+0$/);
    await expect(row(3).innerText()).resolves.toMatch(/0\s+0\s+0$/);
    await expect(table.getByRole('row').count()).resolves.toBe(31);
    await dash.shot('leads-01-overview-chart');
  });

  it('searches leads on the hub by part of an email and by referrer code, and says when nothing matches', async () => {
    await nav('Leads').click();
    await firstLeadIs('Zelda Unique', 25);
    const search = page.getByLabel('Search');

    await search.fill('UNIQUE@far');
    await expectLeads(['Zelda Unique']);
    await dash.shot('leads-02-search-email');

    await search.fill('sam-shares');
    await expectLeads(['Zelda Unique', 'Pal G', 'Pal F', 'Pal E', 'Pal D', 'Pal C', 'Pal B', 'Pal A']);
    // Status and search together: the one qualified friend of Sam.
    await page.getByLabel('Status').selectOption('qualified');
    await expectLeads(['Zelda Unique']);
    await page.getByLabel('Status').selectOption('');
    await dash.shot('leads-03-search-referrer-code');

    await search.fill('nobody-here');
    await page.getByRole('status').getByText('No lead matches “nobody-here”.').waitFor();
    await expect(page.getByRole('button', { name: 'Next page' }).isDisabled()).resolves.toBe(true);
    await dash.shot('leads-04-search-no-match');

    // A search that only partly matches the page loaded before still finds leads on later pages.
    await search.fill('friend.a@');
    await expectLeads(['Friend A']);
    await search.fill('');
    await firstLeadIs('Zelda Unique', 25);
  });

  it('sorts on the hub and pages through every lead once', async () => {
    const sort = page.getByLabel('Sort');
    const next = page.getByRole('button', { name: 'Next page' });
    const prev = page.getByRole('button', { name: 'Previous page' });

    await sort.selectOption('name');
    await firstLeadIs('Friend A', 25);
    const firstPage = await leadNames();
    await next.click();
    await expectLeads(['Pal D', 'Pal E', 'Pal F', 'Pal G', 'Zelda Unique']);
    await page.getByText('Page 2', { exact: true }).waitFor();
    await expect(next.isDisabled()).resolves.toBe(true);
    const all = [...firstPage, ...(await leadNames())];
    expect(new Set(all).size).toBe(30);
    expect(all).toEqual([...all].sort());
    await dash.shot('leads-05-sorted-by-name-page-2');
    await prev.click();
    await expectLeads(firstPage);

    // Another sort starts again at page 1.
    await next.click();
    await page.getByText('Page 2', { exact: true }).waitFor();
    await sort.selectOption('-name');
    await firstLeadIs('Zelda Unique', 25);
    await page.getByText('Page 1', { exact: true }).waitFor();

    await sort.selectOption('created_at');
    // Oldest first: the five who joined six days ago lead, in the order they joined.
    await eventually(async () => (await leadNames()).slice(0, 5), ['Friend A', 'Friend B', 'Friend C', 'Friend D', 'Friend E']);

    // By status: the 24 pending first, then the qualified, newest first within each.
    await sort.selectOption('referral_status');
    const statuses = async (r: Locator) => (await r.locator('td:nth-child(2) .badge').allInnerTexts()).map((s) => s.trim());
    await eventually(() => statuses(rows()), [...Array(24).fill('pending'), 'qualified']);
    await expect(leadNames().then((n) => n[24])).resolves.toBe('Zelda Unique');
    await next.click();
    await expectLeads(['Friend M', 'Friend L', 'Friend G', 'Friend B', 'Friend A']);
    await expect(statuses(rows())).resolves.toEqual(Array(5).fill('qualified'));
    await dash.shot('leads-06-sorted-by-status-page-2');
    expect(dash.errors).toEqual([]);
  });
});
