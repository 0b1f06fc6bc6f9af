import { dbKinds, startTestHub, type TestHub } from '../support/hub';
import { createCampaign, referrerWithFriends } from '../support/fixtures';

const qualifyAll = (t: TestHub, friends: { code: string }[]) =>
  friends.reduce<Promise<unknown>>((p, f) => p.then(() => t.api('/v1/referrals/qualify', { body: { code: f.code } })), Promise.resolve());

describe.each(dbKinds())('reward rules and review controls on %s', (db) => {
  let t: TestHub;
  const clock = new Date('2026-11-01T12:00:00Z');
  beforeAll(async () => {
    t = await startTestHub({ db, now: () => clock });
  });
  afterAll(async () => t.close());

  it('pays every 3rd qualified friend', async () => {
    const c = await createCampaign(t, { reward_rules: [{ trigger: 'every_nth', n: 3, recipient: 'referrer', kind: 'custom', description: '1 free month' }] });
    const { referrer, friends } = await referrerWithFriends(t, c.id, 7, 'nth');
    await qualifyAll(t, friends);
    const rewards = (await t.api(`/v1/rewards?participant_id=${referrer.id}`)).body.data;
    expect(rewards.map((r: { referral_id: string }) => r.referral_id).sort()).toEqual([friends[2].id, friends[5].id].sort());
    expect(rewards[0]).toMatchObject({ kind: 'custom', description: '1 free month', amount: null });
  });

  it('pays a milestone once, when the Nth friend qualifies', async () => {
    const c = await createCampaign(t, { reward_rules: [{ trigger: 'milestone', n: 2, recipient: 'referrer', kind: 'cash', amount: 5000, currency: 'USD' }] });
    const { referrer, friends } = await referrerWithFriends(t, c.id, 4, 'ms');
    await qualifyAll(t, friends);
    const rewards = (await t.api(`/v1/rewards?participant_id=${referrer.id}`)).body.data;
    expect(rewards).toHaveLength(1);
    expect(rewards[0].referral_id).toBe(friends[1].id);
  });

  it('rewards both sides of a double-sided rule', async () => {
    const c = await createCampaign(t, { reward_rules: [{ trigger: 'each_qualified', recipient: 'both', kind: 'credit', amount: 1500, currency: 'GBP' }] });
    const { referrer, friends } = await referrerWithFriends(t, c.id, 1, 'both');
    const q = await t.api('/v1/referrals/qualify', { body: { code: friends[0].code } });
    expect(q.body.rewards.map((r: any) => [r.recipient, r.participant_id]).sort()).toEqual([
      ['friend', friends[0].id],
      ['referrer', referrer.id],
    ]);
  });

  it('holds rewards for hold_days and keeps manual ones pending for a person', async () => {
    const c = await createCampaign(t, {
      reward_rules: [
        { trigger: 'each_qualified', recipient: 'referrer', kind: 'credit', amount: 1000, currency: 'USD', hold_days: 14 },
        { trigger: 'each_qualified', recipient: 'friend', kind: 'credit', amount: 500, currency: 'USD', approval: 'manual', hold_days: 3 },
      ],
    });
    const { friends } = await referrerWithFriends(t, c.id, 1, 'hold');
    const q = await t.api('/v1/referrals/qualify', { body: { code: friends[0].code } });
    const held = q.body.rewards.find((r: any) => r.recipient === 'referrer');
    const manual = q.body.rewards.find((r: any) => r.recipient === 'friend');
    expect(held).toMatchObject({ status: 'delayed', release_at: '2026-11-15T12:00:00.000Z' });
    expect(manual).toMatchObject({ status: 'pending', approval: 'manual' });
    // Approving inside the hold keeps it delayed until its release date.
    const approved = await t.api(`/v1/rewards/${manual.id}/approve`, { body: {} });
    expect(approved.body).toMatchObject({ status: 'delayed', release_at: '2026-11-04T12:00:00.000Z' });
    const issueEarly = await t.api(`/v1/rewards/${held.id}/issue`, { body: {} });
    expect(issueEarly.status).toBe(409);
    expect(issueEarly.body).toMatchObject({ code: 'invalid_transition', current_status: 'delayed' });
  });

  it('holds every reward for review in a manual-review campaign', async () => {
    const c = await createCampaign(t, { review_mode: 'manual' });
    const { friends } = await referrerWithFriends(t, c.id, 1, 'review');
    const q = await t.api('/v1/referrals/qualify', { body: { code: friends[0].code } });
    expect(q.body.rewards[0]).toMatchObject({ status: 'pending', approval: 'manual' });
  });

  it('allows only valid transitions: pending → approved → issued, declined is final', async () => {
    const c = await createCampaign(t, { review_mode: 'manual' });
    const { friends } = await referrerWithFriends(t, c.id, 2, 'flow');
    const r1 = (await t.api('/v1/referrals/qualify', { body: { code: friends[0].code } })).body.rewards[0];
    const r2 = (await t.api('/v1/referrals/qualify', { body: { code: friends[1].code } })).body.rewards[0];
    expect((await t.api(`/v1/rewards/${r1.id}/issue`, { body: {} })).status).toBe(409);
    expect((await t.api(`/v1/rewards/${r1.id}/approve`, { body: { reason: 'checked the invoice' } })).body.status).toBe('approved');
    const issued = await t.api(`/v1/rewards/${r1.id}/issue`, { body: { external_id: 'payout_123' } });
    expect(issued.body).toMatchObject({ status: 'issued', external_id: 'payout_123', issued_at: clock.toISOString() });
    expect((await t.api(`/v1/rewards/${r1.id}/decline`, { body: {} })).status).toBe(409);
    expect((await t.api(`/v1/rewards/${r2.id}/decline`, { body: { reason: 'duplicate account' } })).body).toMatchObject({ status: 'declined', reason: 'duplicate account' });
    expect((await t.api(`/v1/rewards/${r2.id}/approve`, { body: {} })).status).toBe(409);
    const delayed = await t.api(`/v1/rewards/${r1.id}/delay`, { body: { days: 3 } });
    expect(delayed.status).toBe(409);
    expect((await t.api('/v1/rewards?status=issued')).body.data.map((r: any) => r.id)).toContain(r1.id);
  });
});
