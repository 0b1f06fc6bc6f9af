import { startTestHub, type TestHub } from '../../support/hub';
import { app, appTester, connectionTo, createCampaign, createReferral, failureOf, keyPaths } from './harness';

describe('Zapier actions against a real hub', () => {
  let t: TestHub;
  let campaignId: string;
  let authData: ReturnType<typeof connectionTo>;
  beforeAll(async () => {
    t = await startTestHub();
    authData = connectionTo(t);
    campaignId = (await createCampaign(t)).id;
  });
  afterAll(async () => t.close());

  const creates = () => app.creates;

  describe('Add Participant', () => {
    it('adds a person and returns their referral link', async () => {
      const added = await appTester(creates().add_participant.operation.perform, {
        authData,
        inputData: { campaign_id: campaignId, email: 'ada@example.com', first_name: 'Ada', last_name: '', metadata: { plan: 'pro' } },
      });
      expect(added).toMatchObject({
        object: 'participant',
        email: 'ada@example.com',
        name: 'Ada',
        type: 'direct',
        metadata: { plan: 'pro' },
        referral_link: `${t.url}/r/${added.code}`,
        created: true,
      });
      const stored = await t.api(`/v1/participants/${added.id}`);
      expect(stored.body).toMatchObject({ email: 'ada@example.com', first_name: 'Ada', last_name: null });
    });

    it('returns the existing participant for a known email instead of failing', async () => {
      const first = await appTester(creates().add_participant.operation.perform, { authData, inputData: { campaign_id: campaignId, email: 'bo@example.com' } });
      const again = await appTester(creates().add_participant.operation.perform, { authData, inputData: { campaign_id: campaignId, email: 'BO@example.com' } });
      expect(again).toMatchObject({ id: first.id, code: first.code, created: false });
    });

    it('records a referred sign-up with the referrer code', async () => {
      const referrer = await appTester(creates().add_participant.operation.perform, { authData, inputData: { campaign_id: campaignId, email: 'cy@example.com' } });
      const friend = await appTester(creates().add_participant.operation.perform, {
        authData,
        inputData: { campaign_id: campaignId, email: 'dee@example.com', referrer_code: referrer.code },
      });
      expect(friend).toMatchObject({ type: 'referred', referrer_id: referrer.id, referrer_code: referrer.code, referral_status: 'pending' });
    });

    it('names the email field when the address is invalid, and writes nothing', async () => {
      const message = await failureOf(
        appTester(creates().add_participant.operation.perform, { authData, inputData: { campaign_id: campaignId, email: 'not-an-email' } }),
      );
      expect(message).toMatch(/^email: /);
      const list = await t.api(`/v1/participants?campaign_id=${campaignId}&email=not-an-email`);
      expect(list.body.data).toEqual([]);
    });

    it('asks for the email when the mapped field is blank', async () => {
      const message = await failureOf(appTester(creates().add_participant.operation.perform, { authData, inputData: { campaign_id: campaignId, email: '  ' } }));
      expect(message).toBe('Email: is required');
    });
  });

  describe('Qualify Referral with Code', () => {
    it('qualifies the referral and returns the rewards it earned', async () => {
      const { friend, referrer } = await createReferral(t, campaignId, 'q1');
      const result = await appTester(creates().qualify_referral_code.operation.perform, { authData, inputData: { code: friend.code, reason: 'Deal won' } });
      expect(result).toMatchObject({ id: friend.id, referral_status: 'qualified', changed: true });
      expect(result.rewards).toEqual([expect.objectContaining({ participant_id: referrer.id, amount: 1000, currency: 'USD', status: 'pending' })]);
    });

    it('does not fail the Zap when the referral is already qualified: it returns the current state', async () => {
      const { friend } = await createReferral(t, campaignId, 'q2');
      await t.api('/v1/referrals/qualify', { body: { code: friend.code } });
      const again = await appTester(creates().qualify_referral_code.operation.perform, { authData, inputData: { code: friend.code } });
      expect(again).toMatchObject({ id: friend.id, referral_status: 'qualified', changed: false, rewards: [] });
      const rewards = await t.api(`/v1/rewards?referral_id=${friend.id}`);
      expect(rewards.body.data).toHaveLength(1);
    });

    it('says so when the code is unknown', async () => {
      const message = await failureOf(appTester(creates().qualify_referral_code.operation.perform, { authData, inputData: { code: 'NOPE0000' } }));
      expect(message).toMatch(/^No participant with referral code 'NOPE0000'/);
    });

    it('says the person was not referred when the code belongs to a direct sign-up', async () => {
      const direct = await t.api('/v1/participants', { body: { campaign_id: campaignId, email: 'solo@example.com' } });
      const message = await failureOf(appTester(creates().qualify_referral_code.operation.perform, { authData, inputData: { code: direct.body.code } }));
      expect(message).toMatch(/joined without a referrer, so there is no referral to qualify/);
    });
  });

  describe('Qualify Referral by Email', () => {
    it('qualifies the referral with this email in the campaign', async () => {
      const { friend } = await createReferral(t, campaignId, 'e1');
      const result = await appTester(creates().qualify_referral_email.operation.perform, {
        authData,
        inputData: { campaign_id: campaignId, email: friend.email.toUpperCase() },
      });
      expect(result).toMatchObject({ id: friend.id, referral_status: 'qualified', changed: true });
    });

    it('names the email field when the address is invalid', async () => {
      const message = await failureOf(
        appTester(creates().qualify_referral_email.operation.perform, { authData, inputData: { campaign_id: campaignId, email: 'fran@' } }),
      );
      expect(message).toMatch(/^email: must be a valid email address/);
    });
  });

  describe('Unqualify Referral', () => {
    it('reverses a qualification by code and voids the rewards not yet issued', async () => {
      const { friend } = await createReferral(t, campaignId, 'u1');
      await t.api('/v1/referrals/qualify', { body: { code: friend.code } });
      const result = await appTester(creates().unqualify_referral.operation.perform, { authData, inputData: { code: friend.code, reason: 'Refunded' } });
      expect(result).toMatchObject({ id: friend.id, referral_status: 'unqualified', changed: true });
      const rewards = await t.api(`/v1/rewards?referral_id=${friend.id}`);
      expect(rewards.body.data.map((r: { status: string }) => r.status)).toEqual(['declined']);
    });

    it('finds the referral by email and campaign too', async () => {
      const { friend } = await createReferral(t, campaignId, 'u2');
      const result = await appTester(creates().unqualify_referral.operation.perform, { authData, inputData: { email: friend.email, campaign_id: campaignId } });
      expect(result).toMatchObject({ id: friend.id, referral_status: 'unqualified' });
    });

    it('asks for the campaign when only an email is given', async () => {
      const message = await failureOf(appTester(creates().unqualify_referral.operation.perform, { authData, inputData: { email: 'fran.u2@example.com' } }));
      expect(message).toBe('Campaign: choose the campaign to find this email in.');
    });
  });

  describe('Track Conversion', () => {
    it('records a purchase for the email, with 49.99 sent as 4999 minor units', async () => {
      const { friend } = await createReferral(t, campaignId, 'c1');
      const conversion = await appTester(creates().track_conversion.operation.perform, {
        authData,
        inputData: { event: 'purchase', email: friend.email, amount: '49.99', currency: 'usd', transaction_id: 'order-7', metadata: { sku: 'A-1' } },
      });
      expect(conversion).toMatchObject({
        object: 'conversion',
        participant_id: friend.id,
        event: 'purchase',
        amount: 4999,
        currency: 'USD',
        transaction_id: 'order-7',
        metadata: { sku: 'A-1' },
      });
      expect(keyPaths(creates().track_conversion.operation.sample)).toEqual(keyPaths(conversion));
      const repeat = await appTester(creates().track_conversion.operation.perform, {
        authData,
        inputData: { event: 'purchase', email: friend.email, amount: 49.99, currency: 'USD', transaction_id: 'order-7' },
      });
      expect(repeat.id).toBe(conversion.id);
    });

    it('knows currencies without minor units, and finds people by code', async () => {
      const { friend } = await createReferral(t, campaignId, 'c2');
      const conversion = await appTester(creates().track_conversion.operation.perform, {
        authData,
        inputData: { event: 'booking', code: friend.code, amount: '1,200', currency: 'JPY' },
      });
      expect(conversion).toMatchObject({ participant_id: friend.id, amount: 1200, currency: 'JPY' });
    });

    it('asks who converted, and for the currency of an amount', async () => {
      expect(await failureOf(appTester(creates().track_conversion.operation.perform, { authData, inputData: { event: 'purchase' } }))).toBe(
        'Email: enter who converted — their Email, Referral Code or Click ID.',
      );
      expect(
        await failureOf(appTester(creates().track_conversion.operation.perform, { authData, inputData: { event: 'purchase', email: 'x@example.com', amount: '5' } })),
      ).toBe('Currency: enter the currency of the amount (a three-letter code like USD).');
      expect(
        await failureOf(appTester(creates().track_conversion.operation.perform, { authData, inputData: { event: 'purchase', email: 'x@example.com', amount: 'lots', currency: 'USD' } })),
      ).toBe('Amount: must be a number');
    });

    it("passes on the hub's answer when nobody has that email", async () => {
      const message = await failureOf(
        appTester(creates().track_conversion.operation.perform, { authData, inputData: { event: 'purchase', email: 'nobody@example.com' } }),
      );
      expect(message).toMatch(/nobody@example\.com/);
    });
  });

  describe('reward actions', () => {
    async function pendingReward(tag: string) {
      const { friend } = await createReferral(t, campaignId, tag);
      const q = await t.api('/v1/referrals/qualify', { body: { code: friend.code } });
      return q.body.rewards[0] as { id: string };
    }

    it('approves a pending reward, then marks it issued with the payout id and code', async () => {
      const reward = await pendingReward('r1');
      const approved = await appTester(creates().approve_reward.operation.perform, { authData, inputData: { reward_id: reward.id, reason: 'Looks good' } });
      expect(approved).toMatchObject({ id: reward.id, object: 'reward', status: 'approved' });
      const issued = await appTester(creates().issue_reward.operation.perform, {
        authData,
        inputData: { reward_id: reward.id, external_id: 'payout_42', reward_code: 'THANKS-10' },
      });
      expect(issued).toMatchObject({ id: reward.id, status: 'issued', external_id: 'payout_42', reward_code: 'THANKS-10' });
      expect(issued.issued_at).toEqual(expect.any(String));
    });

    it('declines a reward, and explains why a declined reward cannot be issued', async () => {
      const reward = await pendingReward('r2');
      const declined = await appTester(creates().decline_reward.operation.perform, { authData, inputData: { reward_id: reward.id, reason: 'Fraud' } });
      expect(declined).toMatchObject({ id: reward.id, status: 'declined', reason: 'Fraud' });
      const message = await failureOf(appTester(creates().issue_reward.operation.perform, { authData, inputData: { reward_id: reward.id } }));
      expect(message).toBe('Cannot issue a reward that is declined');
    });

    it('says so when the reward does not exist', async () => {
      const message = await failureOf(appTester(creates().approve_reward.operation.perform, { authData, inputData: { reward_id: 'rwd_missing' } }));
      expect(message).toMatch(/^No reward with id 'rwd_missing'/);
    });
  });

  it("every action's sample has the keys of its real output", async () => {
    const { friend } = await createReferral(t, campaignId, 's1');
    const { friend: other } = await createReferral(t, campaignId, 's2');
    const outputs = {
      add_participant: await appTester(creates().add_participant.operation.perform, { authData, inputData: { campaign_id: campaignId, email: 'sam@example.com' } }),
      qualify_referral_code: await appTester(creates().qualify_referral_code.operation.perform, { authData, inputData: { code: friend.code } }),
      qualify_referral_email: await appTester(creates().qualify_referral_email.operation.perform, {
        authData,
        inputData: { campaign_id: campaignId, email: other.email },
      }),
      unqualify_referral: await appTester(creates().unqualify_referral.operation.perform, { authData, inputData: { code: other.code } }),
    };
    const rewardId: string = outputs.qualify_referral_code.rewards[0].id;
    const declinedId: string = outputs.unqualify_referral.rewards[0].id;
    const approved = await appTester(creates().approve_reward.operation.perform, { authData, inputData: { reward_id: rewardId } });
    const issued = await appTester(creates().issue_reward.operation.perform, { authData, inputData: { reward_id: rewardId, external_id: 'p1' } });
    for (const key of ['add_participant', 'qualify_referral_code', 'qualify_referral_email', 'unqualify_referral'] as const) {
      expect({ key, keys: keyPaths(creates()[key].operation.sample) }).toEqual({ key, keys: keyPaths(outputs[key]) });
    }
    expect(keyPaths(creates().approve_reward.operation.sample)).toEqual(keyPaths(approved));
    expect(keyPaths(creates().issue_reward.operation.sample)).toEqual(keyPaths(issued));
    const declined = await t.api(`/v1/rewards/${declinedId}`);
    expect(keyPaths(creates().decline_reward.operation.sample)).toEqual(keyPaths(declined.body));
  });
});
