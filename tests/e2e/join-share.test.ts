import type { Browser, BrowserContext } from 'playwright-core';
import { startTestHub, type TestHub } from '../support/hub';
import { clickLink, createCampaign } from '../support/fixtures';
import { describeWithChromium, EVIL_HOST, eventually, launchChromium, screenshot, SHOP_HOST, startCustomerSite } from './join-share-browser';

const MOBILE = { width: 390, height: 844 };

describeWithChromium('join and share pages in Chromium', () => {
  let t: TestHub;
  let browser: Browser;
  let campaign: any;
  let site: { port: number; close(): Promise<void> };
  const contexts: BrowserContext[] = [];

  /** A fresh browser (cookies of its own) on a phone-sized screen, from its own IP address. */
  async function newVisitor(ip: string, viewport = MOBILE): Promise<BrowserContext> {
    const ctx = await browser.newContext({ viewport, extraHTTPHeaders: { 'x-forwarded-for': ip } });
    // Share buttons open the real networks in a new tab; they stay on this machine.
    await ctx.route(/^https:\/\/(wa\.me|x\.com|www\.linkedin\.com|www\.facebook\.com)\//, (route) => route.fulfill({ status: 200, contentType: 'text/plain', body: 'share intent' }));
    contexts.push(ctx);
    return ctx;
  }

  const participantByEmail = async (email: string) =>
    (await t.api(`/v1/participants?campaign_id=${campaign.id}&email=${encodeURIComponent(email)}`)).body.data[0];
  const participantCount = async () => (await t.api(`/v1/participants?campaign_id=${campaign.id}&limit=100`)).body.data.length;

  beforeAll(async () => {
    t = await startTestHub();
    browser = await launchChromium();
    campaign = await createCampaign(t, {
      name: 'Acme Friends',
      slug: 'acme-friends',
      destination_url: `${t.url}/join/acme-friends`,
      page: {
        headline: 'Give a month, get a month',
        description: 'Invite friends to Acme. When a friend subscribes, you both win.',
        reward_text: 'Every 3 friends who subscribe = a free month for you',
        brand_color: '#0f766e',
        consent_text: 'I agree to the referral program terms',
      },
      reward_rules: [{ trigger: 'every_nth', n: 3, recipient: 'referrer', kind: 'custom', description: 'a free month' }],
    });
    site = await startCustomerSite(campaign.embed.snippet);
    const patched = await t.api(`/v1/campaigns/${campaign.id}`, { method: 'PATCH', body: { allowed_origins: [`http://${SHOP_HOST}:${site.port}`] } });
    expect(patched.status).toBe(200);
  });
  afterAll(async () => {
    for (const ctx of contexts) await ctx.close();
    await browser?.close();
    await site?.close();
    await t?.close();
  });

  let annShareUrl = '';
  let annLink = '';

  it('joins, shows the link and QR code, records the copy, and lists the friend who joined through the link', async () => {
    const ann = await newVisitor('198.51.100.1');
    await ann.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.url });
    const page = await ann.newPage();
    await page.goto(`${t.url}/join/acme-friends`);
    await screenshot(page, '01-join-mobile');
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // Keyboard users see where they are.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const focus = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { id: el.id, outline: getComputedStyle(el).outlineStyle };
    });
    expect(focus.outline).toBe('solid');

    await page.getByLabel('First name').fill('Ann');
    await page.getByLabel('Email').fill('ann@example.com');
    await page.getByLabel('I agree to the referral program terms').check();
    await page.getByRole('button', { name: 'Join and get my link' }).click();
    await page.waitForURL(/\/p\/[0-9a-z]+$/);
    annShareUrl = page.url();

    const annRecord = await participantByEmail('ann@example.com');
    expect(annRecord).toMatchObject({ type: 'direct', first_name: 'Ann', share_url: annShareUrl });
    annLink = annRecord.referral_link;
    await expect(page.getByLabel('Your referral link').inputValue()).resolves.toBe(annLink);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe("You're in, Ann!");
    // The QR code image comes from /qr/{code}.svg and really loads.
    const qr = page.getByAltText('QR code of your referral link');
    expect(await qr.getAttribute('src')).toBe(annRecord.qr_url);
    await eventually(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), (v) => v, 10_000);
    expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await screenshot(page, '02-share-mobile');

    await page.getByRole('button', { name: 'Copy' }).click();
    // Copying goes through the async clipboard API; the status is set once it resolves.
    await eventually(() => page.getByRole('status').textContent(), (text) => text === 'Link copied', 10_000);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(annLink);

    // A share button opens the network with the link tagged by its channel, and is recorded.
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('link', { name: /WhatsApp/ }).click()]);
    expect(decodeURIComponent(popup.url())).toContain(`${annLink}?src=whatsapp`);
    await popup.close();

    const timeline = await eventually(
      async () => (await t.api(`/v1/participants/${annRecord.id}/timeline`)).body.data.map((e: any) => [e.kind, e.data.channel ?? null]),
      (kinds: any[]) => kinds.length >= 3,
    );
    expect(timeline).toEqual([
      ['signup', null],
      ['link_copied', null],
      ['link_shared', 'whatsapp'],
    ]);
    expect((await t.api(`/v1/campaigns/${campaign.id}/stats`)).body.sharers).toBe(1);

    // A friend, in a browser of their own, follows the copied link and joins through the join page.
    const bob = await (await newVisitor('198.51.100.2')).newPage();
    await bob.goto(annLink);
    expect(new URL(bob.url()).pathname).toBe('/join/acme-friends');
    await expect(bob.getByText('Ann invited you.').isVisible()).resolves.toBe(true);
    await screenshot(bob, '03-join-invited-mobile');
    await bob.getByLabel('First name').fill('Bob');
    await bob.getByLabel('Email').fill('bob@example.com');
    await bob.getByLabel('I agree to the referral program terms').check();
    await bob.getByRole('button', { name: 'Join and get my link' }).click();
    await bob.waitForURL(/\/p\/[0-9a-z]+$/);
    expect(await participantByEmail('bob@example.com')).toMatchObject({ type: 'referred', referrer_id: annRecord.id, referral_status: 'pending' });

    await page.reload();
    const referrals = page.locator('#referrals li');
    await expect(referrals.count()).resolves.toBe(1);
    await expect(referrals.first().innerText()).resolves.toMatch(/^Bob bo\*\*\*@example\.com\s+Pending$/);
    await expect(page.locator('#progress-text').textContent()).resolves.toBe('0 of 3 friends — 3 more for a free month');
    await screenshot(page, '04-share-with-referral-mobile');
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, '05-share-desktop');
  });

  it('joining again with the same email adds no one and shows the link only to the browser that joined', async () => {
    const before = await participantCount();
    const stranger = await (await newVisitor('198.51.100.3')).newPage();
    await stranger.goto(`${t.url}/join/acme-friends`);
    await stranger.getByLabel('First name').fill('Someone');
    await stranger.getByLabel('Email').fill('Ann@Example.com');
    await stranger.getByLabel('I agree to the referral program terms').check();
    await stranger.getByRole('button', { name: 'Join and get my link' }).click();
    await stranger.getByRole('heading', { name: "You're already in" }).waitFor();
    const text = await stranger.content();
    expect(text).not.toContain(annShareUrl.split('/p/')[1]);
    expect(text).not.toContain(new URL(annLink).pathname);
    await screenshot(stranger, '06-already-in-mobile');
    expect(await participantCount()).toBe(before);

    // Ann's own browser is recognised and goes back to her page.
    const annPage = await contexts[0].newPage();
    await annPage.goto(`${t.url}/join/acme-friends`);
    await expect(annPage.getByText('You have already joined as Ann.').isVisible()).resolves.toBe(true);
    await annPage.getByLabel('First name').fill('Ann');
    await annPage.getByLabel('Email').fill('ann@example.com');
    await annPage.getByLabel('I agree to the referral program terms').check();
    await annPage.getByRole('button', { name: 'Join and get my link' }).click();
    await annPage.waitForURL(annShareUrl);
    expect(await participantCount()).toBe(before);
  });

  it('refuses the honeypot and too many sign-ups from one address', async () => {
    const before = await participantCount();
    const bot = await (await newVisitor('198.51.100.4')).newPage();
    await bot.goto(`${t.url}/join/acme-friends`);
    await bot.getByLabel('First name').fill('Bot');
    await bot.getByLabel('Email').fill('bot@example.com');
    await bot.getByLabel('I agree to the referral program terms').check();
    // What a form-filling script does: fill every input it finds, the hidden one too.
    await bot.evaluate(() => ((document.getElementById('website') as HTMLInputElement).value = 'https://spam.example'));
    const refused = await Promise.all([bot.waitForNavigation(), bot.getByRole('button', { name: 'Join and get my link' }).click()]);
    expect(refused[0]?.status()).toBe(400);
    await expect(bot.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign-up not accepted');
    await screenshot(bot, '07-honeypot-refused');

    // One address posts again and again (without the form's token: nothing is created either way).
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${t.url}/join/acme-friends`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.5' },
        body: new URLSearchParams({ first_name: 'Spam', email: `spam${i}@example.com`, consent: 'yes' }).toString(),
      });
      expect(res.status).toBe(400);
    }
    const flood = await (await newVisitor('198.51.100.5')).newPage();
    await flood.goto(`${t.url}/join/acme-friends`);
    await flood.getByLabel('First name').fill('Flo');
    await flood.getByLabel('Email').fill('flo@example.com');
    await flood.getByLabel('I agree to the referral program terms').check();
    const limited = await Promise.all([flood.waitForNavigation(), flood.getByRole('button', { name: 'Join and get my link' }).click()]);
    expect(limited[0]?.status()).toBe(429);
    await screenshot(flood, '08-rate-limited');
    expect(await participantCount()).toBe(before);
  });

  it('a share token of another workspace’s participant is a 404; an unknown token shows a 404 page', async () => {
    const other = await t.newWorkspace();
    const oc = await createCampaign(t, { slug: 'other-ws' }, other.secretKey);
    const op = (await t.api('/v1/participants', { key: other.secretKey, body: { campaign_id: oc.id, email: 'x@example.com' } })).body;
    const foreign = await t.api('/v1/participation-events', { body: { share_token: op.share_url.split('/p/')[1], kind: 'link_copied' } });
    expect(foreign.status).toBe(404);

    const page = await (await newVisitor('198.51.100.6')).newPage();
    const res = await page.goto(`${t.url}/p/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz`);
    expect(res?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This page does not exist');
  });

  it('embeds the join form on an allowed site, sized by postMessage, and refuses other sites', async () => {
    // A visitor reaches the customer's page through Ann's link (the customer's page forwards the referral into the frame).
    const click = await clickLink(`${annLink}?src=email`);
    const rlClick = click.location!.searchParams.get('rl_click')!;
    const visitor = await (await newVisitor('198.51.100.7')).newPage();
    await visitor.goto(`http://${SHOP_HOST}:${site.port}/?ref=${new URL(annLink).pathname.split('/').pop()}&rl_click=${rlClick}`);
    const iframe = visitor.locator('iframe[data-referloop]');
    const frame = visitor.frameLocator('iframe[data-referloop]');
    await frame.getByLabel('Email').waitFor();
    expect(await iframe.getAttribute('src')).toContain(`rl_click=${rlClick}`);
    await expect(frame.getByText('Ann invited you.').isVisible()).resolves.toBe(true);

    // The frame reports its height and the embed script sizes the iframe to it (join page, then share page).
    const sizedToContent = async () => {
      const sized = await eventually(
        async () => {
          const outer = await iframe.evaluate((el: HTMLIFrameElement) => el.getBoundingClientRect().height);
          const inner = await frame.locator('html').evaluate((el) => Math.ceil(el.getBoundingClientRect().height));
          return { outer, inner };
        },
        (v) => Math.abs(v.outer - v.inner) <= 1 && v.outer !== 520,
      );
      expect(Math.abs(sized.outer - sized.inner)).toBeLessThanOrEqual(1);
    };
    await sizedToContent();
    await screenshot(visitor, '09-embed-join-on-customer-site');

    await frame.getByLabel('First name').fill('Cleo');
    await frame.getByLabel('Email').fill('cleo@example.com');
    await frame.getByLabel('I agree to the referral program terms').check();
    await frame.getByRole('button', { name: 'Join and get my link' }).click();
    await frame.getByLabel('Your referral link').waitFor();
    expect(visitor.url()).toContain(`${SHOP_HOST}:${site.port}`);
    expect(await participantByEmail('cleo@example.com')).toMatchObject({ type: 'referred', channel: 'email', referral_status: 'pending' });
    await sizedToContent();
    await screenshot(visitor, '10-embed-share-on-customer-site');

    // The same snippet on a site that is not in allowed_origins: the browser refuses to render the frame.
    const evil = await (await newVisitor('198.51.100.8')).newPage();
    await evil.goto(`http://${EVIL_HOST}:${site.port}/`);
    await evil.waitForLoadState('load');
    const evilFrame = await (await evil.$('iframe[data-referloop]'))!.contentFrame();
    expect(evilFrame).not.toBeNull();
    expect(await evilFrame!.locator('#join-form').count()).toBe(0);
    await screenshot(evil, '11-embed-refused-on-other-site');
  });
});
