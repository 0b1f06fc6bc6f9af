import { dbKinds, startTestHub, type TestHub } from '../support/hub';
import { addParticipant, createCampaign, referrerWithFriends } from '../support/fixtures';

describe.each(dbKinds())('qualification on %s', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db });
  });
  afterAll(async () => t.close());

  it('qualifies with code, creates the referrer’s reward once, and answers a repeat with changed=false', async () => {
    const c = await createCampaign(t);
    const { referrer, friends } = await referrerWithFriends(t, c.id, 1, 'q1');
    const res = await t.api('/v1/referrals/qualify', { body: { code: friends[0].code } });
    expect(res.status).toBe(200);
    expect(res.body.changed).toBe(true);
    expect(res.body.referral).toMatchObject({ id: friends[0].id, referral_status: 'qualified', qualified_at: expect.any(String) });
    expect(res.body.rewards).toEqual([
      expect.objectContaining({ participant_id: referrer.id, referral_id: friends[0].id, recipient: 'referrer', kind: 'credit', amount: 1000, currency: 'USD', status: 'approved' }),
    ]);
    const again = await t.api('/v1/referrals/qualify', { body: { code: friends[0].code } });
    expect(again.body).toMatchObject({ changed: false, rewards: [], referral: { referral_status: 'qualified' } });
    const rewards = await t.api(`/v1/rewards?participant_id=${referrer.id}`);
    expect(rewards.body.data).toHaveLength(1);
    expect((await t.api(`/v1/participants/${referrer.id}`)).body.qualified_count).toBe(1);
  });

  it('selects by email + campaign and by participant id', async () => {
    const c = await createCampaign(t);
    const { friends } = await referrerWithFriends(t, c.id, 2, 'q2');
    const byEmail = await t.api('/v1/referrals/qualify', { body: { email: 'Q20@example.com', campaign_id: c.id } });
    expect(byEmail.body.referral.id).toBe(friends[0].id);
    const byId = await t.api('/v1/referrals/qualify', { body: { participant_id: friends[1].id, reason: 'first invoice paid' } });
    expect(byId.body.referral.referral_status).toBe('qualified');
    const missingCampaign = await t.api('/v1/referrals/qualify', { body: { email: 'q20@example.com' } });
    expect(missingCampaign.status).toBe(400);
    expect(missingCampaign.body.errors[0].path).toBe('campaign_id');
    const nothing = await t.api('/v1/referrals/qualify', { body: {} });
    expect(nothing.status).toBe(400);
  });

  it('answers 409 for a participant who was not referred, and 404 for an unknown code', async () => {
    const c = await createCampaign(t);
    const direct = await addParticipant(t, { campaign_id: c.id, email: 'direct-q@example.com' });
    const res = await t.api('/v1/referrals/qualify', { body: { code: direct.code } });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('not_referred');
    expect(res.body.detail).toContain('without a referrer');
    const unknown = await t.api('/v1/referrals/qualify', { body: { code: 'NOSUCH99' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0].path).toBe('code');
  });

  it('unqualifies: voids unissued rewards, keeps issued ones, records why', async () => {
    const c = await createCampaign(t, {
      reward_rules: [
        { trigger: 'each_qualified', recipient: 'referrer', kind: 'credit', amount: 500, currency: 'EUR' },
        { trigger: 'each_qualified', recipient: 'friend', kind: 'coupon', percent_off: 20 },
      ],
    });
    const { friends } = await referrerWithFriends(t, c.id, 1, 'q3');
    const q = await t.api('/v1/referrals/qualify', { body: { code: friends[0].code } });
    const friendReward = q.body.rewards.find((r: { recipient: string }) => r.recipient === 'friend');
    const referrerReward = q.body.rewards.find((r: { recipient: string }) => r.recipient === 'referrer');
    await t.api(`/v1/rewards/${friendReward.id}/issue`, { body: { reward_code: 'WELCOME20' } });
    const u = await t.api('/v1/referrals/unqualify', { body: { code: friends[0].code, reason: 'refunded' } });
    expect(u.body).toMatchObject({ changed: true, referral: { referral_status: 'unqualified' } });
    expect(u.body.rewards.map((r: { id: string }) => r.id)).toEqual([referrerReward.id]);
    expect((await t.api(`/v1/rewards/${referrerReward.id}`)).body).toMatchObject({ status: 'declined', reason: 'referral unqualified: refunded' });
    expect((await t.api(`/v1/rewards/${friendReward.id}`)).body.status).toBe('issued');
    const timeline = (await t.api(`/v1/participants/${friends[0].id}/timeline`)).body.data;
    expect(timeline.filter((e: { kind: string }) => e.kind === 'qualification').map((e: { data: { to: string } }) => e.data.to)).toEqual(['qualified', 'unqualified']);
    expect(timeline.at(-1)).toMatchObject({ data: { reason: 'refunded' } });
  });

  it('changes nothing twice for the same idempotency_key', async () => {
    const c = await createCampaign(t);
    const { friends } = await referrerWithFriends(t, c.id, 1, 'q4');
    await t.api('/v1/referrals/qualify', { body: { code: friends[0].code, idempotency_key: 'deal-42-won' } });
    await t.api('/v1/referrals/unqualify', { body: { code: friends[0].code } });
    const replay = await t.api('/v1/referrals/qualify', { body: { code: friends[0].code, idempotency_key: 'deal-42-won' } });
    expect(replay.body).toMatchObject({ changed: false, referral: { referral_status: 'unqualified' } });
  });

  it('qualifies concurrent friends of one referrer with exact every-Nth counts', async () => {
    const c = await createCampaign(t, { reward_rules: [{ trigger: 'every_nth', n: 2, recipient: 'referrer', kind: 'cash', amount: 2500, currency: 'USD' }] });
    const { referrer, friends } = await referrerWithFriends(t, c.id, 6, 'q5');
    await Promise.all(friends.map((f) => t.api('/v1/referrals/qualify', { body: { code: f.code } })));
    const rewards = await t.api(`/v1/rewards?participant_id=${referrer.id}`);
    expect(rewards.body.data).toHaveLength(3);
  });
});
