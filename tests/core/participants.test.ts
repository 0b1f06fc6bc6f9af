import { dbKinds, startTestHub, type TestHub } from '../support/hub';
import { addParticipant, clickLink, createCampaign } from '../support/fixtures';

describe.each(dbKinds())('participants and attribution on %s', (db) => {
  let t: TestHub;
  let clock = new Date();
  beforeAll(async () => {
    t = await startTestHub({ db, now: () => clock });
  });
  afterAll(async () => t.close());
  beforeEach(() => {
    clock = new Date();
  });

  it('gives each participant a unique code, referral link, QR and share URLs', async () => {
    const c = await createCampaign(t, { code: { length: 6, prefix: 'ACME-' } });
    const p = await addParticipant(t, { campaign_id: c.id, email: 'Ann@Example.com', first_name: 'Ann', last_name: 'Lee' });
    expect(p).toMatchObject({
      object: 'participant',
      type: 'direct',
      email: 'Ann@Example.com',
      name: 'Ann Lee',
      referral_status: null,
      referral_link: `${t.url}/r/${p.code}`,
      qr_url: `${t.url}/qr/${p.code}.svg`,
      share_url: expect.stringMatching(new RegExp(`^${t.url}/p/[0-9a-z]{30,}$`)),
    });
    expect(p.code).toMatch(/^ACME-[ACDEFGHJKMNPQRTUVWXY34679]{6}$/);
  });

  it('returns the existing participant (200) for the same email in any case', async () => {
    const c = await createCampaign(t);
    const first = await t.api('/v1/participants', { body: { campaign_id: c.id, email: 'dup@example.com' } });
    const again = await t.api('/v1/participants', { body: { campaign_id: c.id, email: '  DUP@example.COM ' } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
  });

  it('makes a participant referred through a referrer code, pending', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'ann2@example.com' });
    const bob = await addParticipant(t, { campaign_id: c.id, email: 'bob2@example.com', referrer_code: ann.code.toLowerCase() });
    expect(bob).toMatchObject({ type: 'referred', referrer_id: ann.id, referrer_code: ann.code, referral_status: 'pending', channel: 'code' });
    const annNow = (await t.api(`/v1/participants/${ann.id}`)).body;
    expect(annNow.people_referred).toBe(1);
  });

  it('refuses an unknown referrer code naming the field', async () => {
    const c = await createCampaign(t);
    const res = await t.api('/v1/participants', { body: { campaign_id: c.id, email: 'x@example.com', referrer_code: 'ZZZZZZZZ' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('referrer_code');
  });

  it('accepts a unique vanity code and refuses a taken one', async () => {
    const c = await createCampaign(t);
    const a = await addParticipant(t, { campaign_id: c.id, email: 'v1@example.com', code: 'Vanity-Ann' });
    expect(a.code).toBe('VANITY-ANN');
    const res = await t.api('/v1/participants', { body: { campaign_id: c.id, email: 'v2@example.com', code: 'vanity-ann' } });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].path).toBe('code');
  });

  it('attributes a sign-up to the click inside the window, and not after it', async () => {
    const c = await createCampaign(t, { attribution_window_days: 7 });
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'ann3@example.com' });
    const click = await clickLink(`${ann.referral_link}?src=email&utm_source=newsletter`);
    const clickId = click.location!.searchParams.get('rl_click');
    const bob = await addParticipant(t, { campaign_id: c.id, email: 'bob3@example.com', click_id: clickId });
    expect(bob).toMatchObject({ type: 'referred', referrer_id: ann.id, click_id: clickId, channel: 'email' });

    const late = await clickLink(ann.referral_link);
    await t.hub.clicks.flush();
    clock = new Date(Date.now() + 8 * 86_400_000);
    const carl = await addParticipant(t, { campaign_id: c.id, email: 'carl3@example.com', click_id: late.location!.searchParams.get('rl_click') });
    expect(carl).toMatchObject({ type: 'direct', referrer_id: null, referral_status: null });
  });

  it('finds participants by id, code and email, filters and pages', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'page-ann@example.com' });
    for (let i = 0; i < 5; i++) await addParticipant(t, { campaign_id: c.id, email: `page${i}@example.com`, referrer_code: ann.code });
    expect((await t.api(`/v1/participants/${ann.code}`)).body.id).toBe(ann.id);
    expect((await t.api(`/v1/participants?email=PAGE-ANN@example.com`)).body.data.map((p: { id: string }) => p.id)).toEqual([ann.id]);
    const first = await t.api(`/v1/participants?campaign_id=${c.id}&type=referred&limit=2`);
    expect(first.body.data).toHaveLength(2);
    const seen = [...first.body.data];
    let cursor = first.body.next_cursor;
    while (cursor) {
      const next = await t.api(`/v1/participants?campaign_id=${c.id}&type=referred&limit=2&cursor=${cursor}`);
      seen.push(...next.body.data);
      cursor = next.body.next_cursor;
    }
    expect(seen.map((p) => p.email).sort()).toEqual(['page0@example.com', 'page1@example.com', 'page2@example.com', 'page3@example.com', 'page4@example.com']);
    const bad = await t.api('/v1/participants?cursor=garbage');
    expect(bad.status).toBe(400);
  });

  it('updates a participant and refuses an email already used in the campaign', async () => {
    const c = await createCampaign(t);
    const a = await addParticipant(t, { campaign_id: c.id, email: 'up-a@example.com' });
    await addParticipant(t, { campaign_id: c.id, email: 'up-b@example.com' });
    const ok = await t.api(`/v1/participants/${a.id}`, { method: 'PATCH', body: { first_name: 'Ada', metadata: { plan: 'pro' } } });
    expect(ok.body).toMatchObject({ first_name: 'Ada', metadata: { plan: 'pro' } });
    const clash = await t.api(`/v1/participants/${a.id}`, { method: 'PATCH', body: { email: 'UP-B@example.com' } });
    expect(clash.status).toBe(409);
  });
});

describe('the redirect', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t.close());

  it('answers 302 to the destination with ref and rl_click, sets the cookie and records the click', async () => {
    const c = await createCampaign(t, { destination_url: 'https://acme.example/signup?plan=pro', cookie_days: 14 });
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'r-ann@example.com' });
    const res = await clickLink(`${ann.referral_link}?src=social&utm_campaign=spring`, { referer: 'https://social.example/post/1' });
    expect(res.status).toBe(302);
    expect(res.location!.origin + res.location!.pathname).toBe('https://acme.example/signup');
    expect(res.location!.searchParams.get('plan')).toBe('pro');
    expect(res.location!.searchParams.get('ref')).toBe(ann.code);
    expect(res.location!.searchParams.get('utm_campaign')).toBe('spring');
    const clickId = res.location!.searchParams.get('rl_click');
    expect(res.cookie).toContain(`Max-Age=${14 * 86400}`);
    expect(res.cookie).toContain('SameSite=Lax');
    await t.hub.clicks.flush();
    const [row] = await t.hub.db.query<any>('SELECT * FROM clicks WHERE id = $1', [clickId]);
    expect(row).toMatchObject({ participant_id: ann.id, channel: 'social', utm_campaign: 'spring', referer: 'https://social.example/post/1', is_bot: false });
    expect(row.ip_hash).toMatch(/^[0-9a-f]{32}$/);
  });

  it('flags bots, 404s unknown codes, and redirects paused campaigns without attribution', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'r-bot@example.com' });
    const bot = await clickLink(ann.referral_link, { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    await t.hub.clicks.flush();
    const [row] = await t.hub.db.query<any>('SELECT is_bot FROM clicks WHERE id = $1', [bot.location!.searchParams.get('rl_click')]);
    expect(row.is_bot).toBe(true);

    const missing = await clickLink(`${t.url}/r/NOSUCHCODE`);
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('does not exist');

    await t.api(`/v1/campaigns/${c.id}`, { method: 'PATCH', body: { status: 'paused' } });
    const paused = await clickLink(ann.referral_link);
    expect(paused.status).toBe(302);
    expect(paused.location!.toString()).toBe('https://acme.example/signup');
    expect(paused.cookie).toBeNull();
  });

  it('keeps the first click’s attribution under first_click and the latest under last_click', async () => {
    const first = await createCampaign(t, { attribution: 'first_click' });
    const a = await addParticipant(t, { campaign_id: first.id, email: 'fc-a@example.com' });
    const b = await addParticipant(t, { campaign_id: first.id, email: 'fc-b@example.com' });
    const one = await clickLink(a.referral_link);
    const cookie = one.cookie!.split(';')[0];
    const two = await clickLink(b.referral_link, { cookie });
    expect(two.location!.searchParams.get('ref')).toBe(a.code);
    expect(two.cookie).toBeNull();

    const last = await createCampaign(t, { attribution: 'last_click' });
    const x = await addParticipant(t, { campaign_id: last.id, email: 'lc-x@example.com' });
    const y = await addParticipant(t, { campaign_id: last.id, email: 'lc-y@example.com' });
    const three = await clickLink(x.referral_link);
    const four = await clickLink(y.referral_link, { cookie: three.cookie!.split(';')[0] });
    expect(four.location!.searchParams.get('ref')).toBe(y.code);
  });
});
