import { dbKinds, startTestHub, type TestHub } from '../../support/hub';
import { addParticipant, clickLink, createCampaign } from '../../support/fixtures';
import { formToken, getPage, join, postJoin, shareTokenOf } from './form-client';

// Every "browser" here has an address of its own (the hub trusts X-Forwarded-For from loopback),
// so the same-IP fraud check and the rate limit see distinct visitors.
let nextIp = 10;
const visitor = () => ({ 'x-forwarded-for': `198.51.100.${nextIp++}` });

describe.each(dbKinds())('join page on %s', (db) => {
  let t: TestHub;
  let clock: Date | null = null;
  beforeAll(async () => {
    t = await startTestHub({ db, now: () => clock ?? new Date() });
  });
  afterAll(async () => t.close());
  afterEach(() => {
    clock = null;
  });

  const participants = async (campaignId: string) => (await t.api(`/v1/participants?campaign_id=${campaignId}&limit=100`)).body.data;

  it('shows the campaign pitch and an accessible form, escaping campaign text', async () => {
    const c = await createCampaign(t, {
      slug: 'pitch',
      page: {
        headline: 'Give <b>10</b>, get 10 <script>alert(1)</script>',
        description: 'Tell a friend "now"',
        reward_text: 'A free month for every friend',
        brand_color: '#ffdd00',
        consent_text: 'I agree to the rules',
      },
    });
    const page = await getPage(`${t.url}/join/pitch`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.html).toContain('<html lang="en">');
    expect(page.html).toContain('Give &lt;b&gt;10&lt;/b&gt;, get 10 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).not.toContain('<script>alert(1)');
    expect(page.html).toContain('Tell a friend &quot;now&quot;');
    expect(page.html).toContain('A free month for every friend');
    expect(page.html).toMatch(/<label for="first_name">First name<\/label>\s*<input id="first_name" name="first_name"[^>]*autocomplete="given-name"/);
    expect(page.html).toMatch(/<label for="email">Email<\/label>\s*<input id="email" name="email" type="email"/);
    expect(page.html).toContain('name="consent" type="checkbox"');
    expect(page.html).toContain('<span>I agree to the rules</span>');
    // The honeypot is out of sight and out of the tab order; the form carries its one-time token.
    expect(page.html).toMatch(/<div class="hp" aria-hidden="true">.*name="website"[^>]*tabindex="-1"/);
    expect(formToken(page.html)).toMatch(/^[0-9a-z]+\.[\w-]{22}\.[\w-]{32}$/);
    // Yellow brand: black text on its buttons for contrast.
    expect(page.html).toContain('--brand:#ffdd00;--on-brand:#000000');
    // Fast: the whole page, inline CSS and script included, is a few KB.
    expect(Buffer.byteLength(page.html)).toBeLessThan(12_000);
    expect(c.join_url).toBe(`${t.url}/join/pitch`);
  });

  it('cannot be framed, except its embed variant by the campaign’s allowed origins', async () => {
    const c = await createCampaign(t, { slug: 'framing', allowed_origins: ['https://shop.example', 'http://localhost:8080'] });
    const full = await getPage(`${t.url}/join/framing`);
    expect(full.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(full.headers.get('x-frame-options')).toBe('DENY');
    const embed = await getPage(`${t.url}/join/framing?embed=1`);
    expect(embed.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://shop.example http://localhost:8080");
    expect(embed.headers.get('x-frame-options')).toBeNull();
    expect(embed.html).toContain('<body class="embed" data-page="join"');
    expect(embed.html).not.toContain('<header');
    expect(embed.html).toContain('<input type="hidden" name="embed" value="1">');
    // The campaign resource hands out the copy-paste snippet for the customer's site.
    expect(c.embed.url).toBe(`${t.url}/join/framing?embed=1`);
    expect(c.embed.snippet).toContain(`<iframe src="${t.url}/join/framing?embed=1" title="Join Friends of Acme" data-referloop`);
    expect(c.embed.snippet).toContain(`<script src="${t.url}/embed.js" async></script>`);
    const script = await getPage(`${t.url}/embed.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');
    expect(script.html).toContain('referloop:height');
  });

  it('is a 404 for an unknown slug or a draft campaign, and says so when paused', async () => {
    await createCampaign(t, { slug: 'drafty', status: 'draft' });
    await createCampaign(t, { slug: 'paused-one', status: 'paused' });
    expect((await getPage(`${t.url}/join/no-such-campaign`)).status).toBe(404);
    expect((await getPage(`${t.url}/join/drafty`)).status).toBe(404);
    const paused = await getPage(`${t.url}/join/paused-one`);
    expect(paused.status).toBe(200);
    expect(paused.html).toContain('not taking new members');
    expect(paused.html).not.toContain('form_token');
    const post = await postJoin(`${t.url}/join/paused-one`, { first_name: 'Ann', email: 'ann@example.com' }, visitor());
    expect(post.status).toBe(403);
  });

  it('adds a direct participant and sends the browser to its share page', async () => {
    const c = await createCampaign(t, { slug: 'direct' });
    const res = await join(`${t.url}/join/direct`, { first_name: 'Ann', email: 'ann@example.com' }, visitor());
    expect(res.status).toBe(303);
    const token = shareTokenOf(res.location);
    expect(res.location).toBe(`/p/${token}`);
    expect(res.setCookie).toContain(`rl_p_${c.id}=${token}; Max-Age=31536000; Path=/; HttpOnly; SameSite=Lax`);
    const [ann] = await participants(c.id);
    expect(ann).toMatchObject({ type: 'direct', email: 'ann@example.com', first_name: 'Ann', referral_status: null, share_url: `${t.url}/p/${token}` });
    const timeline = (await t.api(`/v1/participants/${ann.id}/timeline`)).body.data;
    expect(timeline[0]).toMatchObject({ kind: 'signup', source: 'join_page' });
  });

  it('makes the visitor referred when they came through a referral link (cookie or landing URL)', async () => {
    const c = await createCampaign(t, { slug: 'referred' });
    await t.api(`/v1/campaigns/${c.id}`, { method: 'PATCH', body: { destination_url: `${t.url}/join/referred` } });
    const rita = await addParticipant(t, { campaign_id: c.id, email: 'rita@example.com', first_name: 'Rita' });

    // Through the /r/ cookie alone (the visitor came back to the join page later).
    const click = await clickLink(`${rita.referral_link}?src=whatsapp`);
    expect(click.location?.pathname).toBe('/join/referred');
    const cookie = click.cookie!.split(';')[0];
    const form = await getPage(`${t.url}/join/referred`, { cookie, ...visitor() });
    expect(form.html).toContain('Rita invited you.');
    const bob = await postJoin(`${t.url}/join/referred`, { form_token: formToken(form.html), first_name: 'Bob', email: 'bob@example.com' }, { cookie, ...visitor() });
    expect(bob.status).toBe(303);

    // Through the landing URL's rl_click, with no cookie (an embedded form on another site).
    const click2 = await clickLink(`${rita.referral_link}?src=email`);
    const landing = await getPage(click2.location!.toString(), visitor());
    expect(landing.html).toContain(`name="rl_click" value="${click2.location!.searchParams.get('rl_click')}"`);
    await postJoin(`${t.url}/join/referred`, {
      form_token: formToken(landing.html),
      first_name: 'Cleo',
      email: 'cleo@example.com',
      rl_click: click2.location!.searchParams.get('rl_click')!,
    }, visitor());

    // A hand-edited unknown code joins directly instead of failing.
    await join(`${t.url}/join/referred?ref=NOSUCHCODE`, { first_name: 'Dan', email: 'dan@example.com', ref: 'NOSUCHCODE' }, visitor());

    const byEmail = Object.fromEntries((await participants(c.id)).map((p: any) => [p.email, p]));
    expect(byEmail['bob@example.com']).toMatchObject({ type: 'referred', referrer_id: rita.id, referral_status: 'pending', channel: 'whatsapp' });
    expect(byEmail['cleo@example.com']).toMatchObject({ type: 'referred', referrer_id: rita.id, referral_status: 'pending', channel: 'email' });
    expect(byEmail['dan@example.com']).toMatchObject({ type: 'direct', referrer_id: null });
  });

  it('runs the same fraud checks as the API: a friend from the referrer’s own address is flagged', async () => {
    const c = await createCampaign(t, { slug: 'fraudy' });
    const ip = visitor();
    const rita = await join(`${t.url}/join/fraudy`, { first_name: 'Rita', email: 'rita.f@example.com' }, ip);
    expect(rita.status).toBe(303);
    const code = (await participants(c.id))[0].code;
    await join(`${t.url}/join/fraudy?ref=${code}`, { first_name: 'Sock', email: 'sock@example.com', ref: code }, ip);
    const sock = (await participants(c.id)).find((p: any) => p.email === 'sock@example.com');
    expect(sock).toMatchObject({ type: 'referred', referral_status: 'flagged', flag_reasons: ['same_ip'] });
  });

  it('joining again with the same email shows the same participant only to the browser that joined', async () => {
    const c = await createCampaign(t, { slug: 'again' });
    const first = await join(`${t.url}/join/again`, { first_name: 'Ann', email: 'ann.again@example.com' }, visitor());
    const token = shareTokenOf(first.location);
    const memberCookie = first.setCookie!.split(';')[0];

    // Another browser, same email: told they are in, shown nothing of the participant.
    const stranger = await join(`${t.url}/join/again`, { first_name: 'Mallory', email: 'ANN.AGAIN@example.com' }, visitor());
    expect(stranger.status).toBe(200);
    expect(stranger.html).toContain('You&#39;re already in');
    const ann = (await participants(c.id))[0];
    for (const secret of [token, ann.code, 'Ann', 'ann.again']) expect(stranger.html).not.toContain(secret);
    expect(stranger.setCookie).toBeNull();

    // The browser that joined (its member cookie) goes back to its own share page.
    const same = await join(`${t.url}/join/again`, { first_name: 'Ann', email: 'ann.again@example.com' }, { cookie: memberCookie, ...visitor() });
    expect(same.status).toBe(303);
    expect(same.location).toBe(`/p/${token}`);
    // It is greeted on the form too.
    const greeted = await getPage(`${t.url}/join/again`, { cookie: memberCookie });
    expect(greeted.html).toContain(`You have already joined as Ann. <a href="/p/${token}">Open your sharing page</a>`);

    expect(await participants(c.id)).toHaveLength(1);
  });

  it('treats a resubmitted form (double click, back button) as the same sign-up', async () => {
    const c = await createCampaign(t, { slug: 'double' });
    const ip = visitor();
    const form = await getPage(`${t.url}/join/double`, ip);
    const fields = { form_token: formToken(form.html), first_name: 'Ann', email: 'ann.double@example.com' };
    const [a, b] = await Promise.all([postJoin(`${t.url}/join/double`, fields, ip), postJoin(`${t.url}/join/double`, fields, ip)]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect(a.location).toBe(b.location);
    // The same token with another email adds nobody.
    const other = await postJoin(`${t.url}/join/double`, { ...fields, email: 'someone.else@example.com' }, ip);
    expect(other.status).toBe(400);
    expect(other.html).toContain('This form was already sent');
    expect(await participants(c.id)).toHaveLength(1);
  });

  it('refuses a filled honeypot, a missing, forged, foreign or expired token, and a foreign Origin', async () => {
    const c = await createCampaign(t, { slug: 'bots' });
    const other = await createCampaign(t, { slug: 'bots-other' });
    const url = `${t.url}/join/bots`;
    const fields = { first_name: 'Bot', email: 'bot@example.com' };

    const honeypot = await join(url, { ...fields, website: 'https://spam.example' }, visitor());
    expect(honeypot.status).toBe(400);
    expect(honeypot.html).toContain('could not be accepted');

    const none = await postJoin(url, fields, visitor());
    expect(none.status).toBe(400);
    expect(none.html).toContain('This form has expired');
    // The form comes back filled in, with a fresh token, for a person whose tab was open too long.
    expect(none.html).toContain('value="bot@example.com"');
    expect(formToken(none.html)).toBeTruthy();

    const real = formToken((await getPage(url)).html);
    const forged = real.replace(/.$/, (ch) => (ch === 'a' ? 'b' : 'a'));
    expect((await postJoin(url, { ...fields, form_token: forged }, visitor())).status).toBe(400);
    const foreign = formToken((await getPage(`${t.url}/join/bots-other`)).html);
    expect((await postJoin(url, { ...fields, form_token: foreign }, visitor())).status).toBe(400);

    clock = new Date(Date.now() + 3 * 3600_000);
    expect((await postJoin(url, { ...fields, form_token: real }, visitor())).status).toBe(400);
    clock = null;

    const crossSite = await postJoin(url, { ...fields, form_token: formToken((await getPage(url)).html) }, { ...visitor(), origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);

    expect(await participants(c.id)).toHaveLength(0);
    expect(await participants(other.id)).toHaveLength(0);
  });

  it('limits sign-ups per IP address', async () => {
    const c = await createCampaign(t, { slug: 'limited' });
    const url = `${t.url}/join/limited`;
    const ip = visitor();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await postJoin(url, { first_name: 'X', email: `x${i}@example.com` }, ip)).status);
    expect(new Set(statuses)).toEqual(new Set([400]));
    const limited = await join(url, { first_name: 'Y', email: 'y@example.com' }, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.html).toContain('Too many sign-ups');
    // Another address is not affected.
    expect((await join(url, { first_name: 'Z', email: 'z@example.com' }, visitor())).status).toBe(303);
    expect((await participants(c.id)).map((p: any) => p.email)).toEqual(['z@example.com']);
  });

  it('names the fields to fix and keeps what was typed, escaped', async () => {
    const c = await createCampaign(t, { slug: 'fields', page: { consent_text: 'I accept the terms' } });
    const res = await join(`${t.url}/join/fields`, { first_name: '"><script>x</script>', email: 'not-an-email' }, visitor());
    expect(res.status).toBe(400);
    expect(res.html).toContain('id="error-summary" role="alert"');
    expect(res.html).toContain('<input id="email" name="email" type="email" autocomplete="email" maxlength="320" required value="not-an-email" aria-invalid="true" aria-describedby="email-error">');
    expect(res.html).toContain('<p class="err" id="email-error">Enter a valid email address</p>');
    expect(res.html).toContain('<p class="err" id="consent-error">Tick the box to agree before joining</p>');
    expect(res.html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(await participants(c.id)).toHaveLength(0);

    const ok = await join(`${t.url}/join/fields`, { first_name: 'Ann', email: 'ann.fields@example.com', consent: 'yes' }, visitor());
    expect(ok.status).toBe(303);
    const [ann] = await participants(c.id);
    expect(ann.metadata).toMatchObject({ join_consent_text: 'I accept the terms', join_consent_at: expect.any(String) });
  });
});
