import { startTestHub, type TestHub } from '../../support/hub';
import { app, appTester, connectionTo, createCampaign, createReferral, instantTriggers, keyPaths, type InstantTrigger } from './harness';

/*
 * Each instant trigger's performList reads GET /v1/events: the sample data a Zap user tests with,
 * and the polling fallback. The events come from real activity in the hub.
 */
describe('Zapier instant triggers: recent events from the hub', () => {
  let t: TestHub;
  let campaignId: string;
  let otherCampaignId: string;
  let authData: ReturnType<typeof connectionTo>;
  let friend: { id: string; code: string; email: string };
  let referrer: { id: string; code: string; email: string };
  let rewardId: string;
  let conversionId: string;

  beforeAll(async () => {
    t = await startTestHub();
    authData = connectionTo(t);
    campaignId = (await createCampaign(t)).id;
    otherCampaignId = (await createCampaign(t, 'Other program')).id;
    // Activity in another campaign, which the campaign filter must leave out.
    await createReferral(t, otherCampaignId, 'other');

    ({ friend, referrer } = await createReferral(t, campaignId, 'main'));
    const conversion = await t.api('/v1/conversions', {
      body: { event: 'purchase', email: friend.email, amount: 4999, currency: 'USD', transaction_id: 'order-1001' },
    });
    expect(conversion.status).toBe(201);
    conversionId = conversion.body.id;
    const qualified = await t.api('/v1/referrals/qualify', { body: { code: friend.code } });
    rewardId = qualified.body.rewards[0].id;
    expect((await t.api(`/v1/rewards/${rewardId}/approve`, { body: {} })).status).toBe(200);
    expect((await t.api(`/v1/rewards/${rewardId}/issue`, { body: { external_id: 'payout-1' } })).status).toBe(200);
    // A second referral, qualified then reversed.
    const second = await createReferral(t, campaignId, 'second');
    await t.api('/v1/referrals/qualify', { body: { code: second.friend.code } });
    await t.api('/v1/referrals/unqualify', { body: { code: second.friend.code, reason: 'refund' } });
  });
  afterAll(async () => t.close());

  const recent = (key: InstantTrigger, inputData: Record<string, string> = { campaign_id: campaignId }) =>
    appTester(app.triggers[key].operation.performList, { authData, inputData });

  it('New Participant lists participant.created events, newest first', async () => {
    const events = await recent('new_participant');
    expect(events.map((e) => e.type)).toEqual(Array(events.length).fill('participant.created'));
    expect(events.map((e) => e.data.email)).toEqual([
      'fran.second@example.com',
      'anna.second@example.com',
      'fran.main@example.com',
      'anna.main@example.com',
    ]);
  });

  it('New Referral lists referred sign-ups with their referrer', async () => {
    const events = await recent('new_referral');
    expect(events[events.length - 1]).toMatchObject({
      type: 'referral.created',
      campaign_id: campaignId,
      data: { id: friend.id, type: 'referred', referral_status: 'pending', referrer: { id: referrer.id, code: referrer.code } },
    });
  });

  it('Referral Qualified and Referral Unqualified list the status changes', async () => {
    const qualified = await recent('referral_qualified');
    expect(qualified.map((e) => e.data.email)).toEqual(['fran.second@example.com', 'fran.main@example.com']);
    const unqualified = await recent('referral_unqualified');
    expect(unqualified).toEqual([expect.objectContaining({ type: 'referral.unqualified', data: expect.objectContaining({ email: 'fran.second@example.com', referral_status: 'unqualified' }) })]);
  });

  it('Conversion Tracked lists conversions with amount in minor units', async () => {
    const events = await recent('conversion_tracked');
    expect(events).toEqual([
      expect.objectContaining({ type: 'conversion.tracked', data: expect.objectContaining({ id: conversionId, event: 'purchase', amount: 4999, currency: 'USD' }) }),
    ]);
  });

  it('Reward Created and Reward Issued list the reward as it was at each step', async () => {
    const created = await recent('reward_created');
    expect(created[created.length - 1]).toMatchObject({ type: 'reward.created', data: { id: rewardId, status: 'pending', participant_id: referrer.id } });
    const issued = await recent('reward_issued');
    expect(issued).toEqual([expect.objectContaining({ data: expect.objectContaining({ id: rewardId, status: 'issued', external_id: 'payout-1' }) })]);
  });

  it('without a campaign filter lists every campaign of the workspace', async () => {
    const all = await recent('new_referral', {});
    const filtered = await recent('new_referral');
    expect(all.length).toBe(filtered.length + 1);
    expect(all.map((e) => e.campaign_id)).toContain(otherCampaignId);
    expect(filtered.map((e) => e.campaign_id)).not.toContain(otherCampaignId);
  });

  it.each(instantTriggers)(
    "%s: the sample has the same keys as the hub's real %s payload",
    async (key) => {
      const [real] = await recent(key);
      expect(real).toBeDefined();
      expect(keyPaths(app.triggers[key].operation.sample)).toEqual(keyPaths(real));
    },
  );
});
