import { dbKinds, startTestHub, type TestHub } from '../support/hub';
import { addParticipant, clickLink, createCampaign, referrerWithFriends } from '../support/fixtures';

describe.each(dbKinds())('campaigns on %s', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db });
  });
  afterAll(async () => t.close());

  it('creates a campaign with defaults, a slug, rule ids, a join URL and an inbound webhook URL', async () => {
    const c = await createCampaign(t, { name: 'Spring Référral!' });
    expect(c).toMatchObject({
      object: 'campaign',
      slug: 'spring-referral',
      status: 'live',
      attribution: 'last_click',
      attribution_window_days: 30,
      cookie_days: 30,
      review_mode: 'auto',
      test_mode: false,
      code: { length: 8, prefix: '' },
      fraud: { self_referral: true, duplicate_email: true, same_ip: true, disposable_email: true },
      join_url: `${t.url}/join/spring-referral`,
      inbound_webhook_url: expect.stringMatching(new RegExp(`^${t.url}/hooks/inbound/[0-9a-z]{32}$`)),
      inbound_signing: false,
    });
    expect(c.reward_rules[0]).toMatchObject({ id: expect.stringMatching(/^rule_[0-9a-f]{12}$/), trigger: 'each_qualified', approval: 'auto', hold_days: 0 });
    const again = await createCampaign(t, { name: 'Spring Référral!' });
    expect(again.slug).toMatch(/^spring-referral-[0-9a-f]{6}$/);
    const taken = await t.api('/v1/campaigns', { body: { name: 'X', destination_url: 'https://x.example', slug: 'spring-referral' } });
    expect(taken.status).toBe(409);
  });

  it('lists with a status filter and paging, gets and patches', async () => {
    const a = await createCampaign(t, { name: 'Draft one', status: 'draft' });
    const list = await t.api('/v1/campaigns?status=draft');
    expect(list.body.data.map((c: any) => c.id)).toContain(a.id);
    expect(list.body.data.every((c: any) => c.status === 'draft')).toBe(true);
    const patched = await t.api(`/v1/campaigns/${a.id}`, { method: 'PATCH', body: { status: 'live', fraud: { same_ip: false }, page: { headline: 'Give 10, get 10' } } });
    expect(patched.body).toMatchObject({ status: 'live', fraud: { same_ip: false, self_referral: true }, page: { headline: 'Give 10, get 10' } });
    expect((await t.api(`/v1/campaigns/${a.id}`)).body.status).toBe('live');
    const bad = await t.api(`/v1/campaigns/${a.id}`, { method: 'PATCH', body: { status: 'archived' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('status');
    expect((await t.api(`/v1/campaigns/${a.id}`, { method: 'PATCH', body: {} })).status).toBe(400);
    expect((await t.api('/v1/campaigns/cmp_nope')).status).toBe(404);
  });

  it('rotates the inbound webhook URL and sets its signing secret', async () => {
    const c = await createCampaign(t);
    const r = await t.api(`/v1/campaigns/${c.id}/inbound-webhook/rotate`, { body: { signing_secret: 'a-long-enough-secret' } });
    expect(r.body.inbound_webhook_url).not.toBe(c.inbound_webhook_url);
    expect(r.body.inbound_signing).toBe(true);
    expect(JSON.stringify(r.body)).not.toContain('a-long-enough-secret');
  });

  it('counts participants, sharers, clicks by channel, statuses, conversion rate, rewards and the leaderboard', async () => {
    const c = await createCampaign(t);
    const { referrer, friends } = await referrerWithFriends(t, c.id, 3, 'st');
    const other = await addParticipant(t, { campaign_id: c.id, email: 'st-other@example.com' });
    await addParticipant(t, { campaign_id: c.id, email: 'st-friend-of-other@example.com', referrer_code: other.code });
    await addParticipant(t, { campaign_id: c.id, email: 'imp@example.com', type: 'imported' });
    await clickLink(`${referrer.referral_link}?src=qr`);
    await clickLink(`${referrer.referral_link}?src=email`);
    await clickLink(referrer.referral_link);
    await t.hub.clicks.flush();
    await t.api('/v1/referrals/qualify', { body: { code: friends[0].code } });
    await t.api('/v1/referrals/qualify', { body: { code: friends[1].code } });
    await t.api('/v1/referrals/unqualify', { body: { code: friends[2].code } });
    const stats = (await t.api(`/v1/campaigns/${c.id}/stats`)).body;
    expect(stats).toMatchObject({
      participants: { total: 7, direct: 2, referred: 4, imported: 1 },
      sharers: 1,
      clicks: { total: 3, by_channel: { qr: 1, email: 1, link: 1 } },
      referrals: { total: 4, pending: 1, qualified: 2, unqualified: 1, flagged: 0 },
      conversion_rate: 0.5,
      rewards: { by_status: { approved: 2 }, amount_due: { USD: 2000 } },
    });
    const board = (await t.api(`/v1/campaigns/${c.id}/leaderboard?period=month`)).body;
    expect(board.data[0]).toMatchObject({ rank: 1, participant_id: referrer.id, referred: 3, qualified: 2 });
    expect(board.data[1]).toMatchObject({ rank: 2, participant_id: other.id, referred: 1, qualified: 0 });
  });
});
