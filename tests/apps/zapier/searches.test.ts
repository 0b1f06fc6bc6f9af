import { startTestHub, type TestHub } from '../../support/hub';
import { app, appTester, connectionTo, createCampaign, createReferral, failureOf } from './harness';

describe('Zapier searches and dropdowns against a real hub', () => {
  let t: TestHub;
  let campaignId: string;
  let otherCampaignId: string;
  let authData: ReturnType<typeof connectionTo>;
  beforeAll(async () => {
    t = await startTestHub();
    authData = connectionTo(t);
    campaignId = (await createCampaign(t)).id;
    otherCampaignId = (await createCampaign(t, 'Second program')).id;
  });
  afterAll(async () => t.close());

  describe('Find Participant', () => {
    it('finds a participant by email or by code', async () => {
      const { referrer } = await createReferral(t, campaignId, 'f1');
      const byEmail = await appTester(app.searches.find_participant.operation.perform, { authData, inputData: { email: referrer.email.toUpperCase() } });
      expect(byEmail).toEqual([expect.objectContaining({ id: referrer.id, code: referrer.code })]);
      const byCode = await appTester(app.searches.find_participant.operation.perform, { authData, inputData: { code: referrer.code } });
      expect(byCode).toEqual([expect.objectContaining({ id: referrer.id })]);
    });

    it('looks only in the chosen campaign', async () => {
      const { referrer } = await createReferral(t, campaignId, 'f2');
      const found = await appTester(app.searches.find_participant.operation.perform, { authData, inputData: { email: referrer.email, campaign_id: otherCampaignId } });
      expect(found).toEqual([]);
    });

    it('with Add Participant, finds or adds ("Find or Add Participant")', async () => {
      const inputData = { campaign_id: campaignId, email: 'new.person@example.com' };
      const before = await appTester(app.searches.find_participant.operation.perform, { authData, inputData });
      expect(before).toEqual([]);
      const added = await appTester(app.creates.add_participant.operation.perform, { authData, inputData });
      const after = await appTester(app.searches.find_participant.operation.perform, { authData, inputData });
      expect(after).toEqual([expect.objectContaining({ id: added.id, email: 'new.person@example.com' })]);
    });

    it('asks for an email or a code', async () => {
      const message = await failureOf(appTester(app.searches.find_participant.operation.perform, { authData, inputData: { campaign_id: campaignId } }));
      expect(message).toBe('Email: enter the Email or the Referral Code to look for.');
    });
  });

  describe('Find Referral', () => {
    it('finds a referred sign-up with its referrer, filtered by status', async () => {
      const { friend, referrer } = await createReferral(t, campaignId, 'f3');
      const pending = await appTester(app.searches.find_referral.operation.perform, { authData, inputData: { code: friend.code, referral_status: 'pending' } });
      expect(pending).toEqual([expect.objectContaining({ id: friend.id, type: 'referred', referrer_id: referrer.id, referral_status: 'pending' })]);
      const qualified = await appTester(app.searches.find_referral.operation.perform, { authData, inputData: { code: friend.code, referral_status: 'qualified' } });
      expect(qualified).toEqual([]);
    });

    it('does not return the referrer, who was not referred', async () => {
      const { referrer } = await createReferral(t, campaignId, 'f4');
      const found = await appTester(app.searches.find_referral.operation.perform, { authData, inputData: { email: referrer.email, campaign_id: campaignId } });
      expect(found).toEqual([]);
    });

    it('names the status field when the status is not one of the choices', async () => {
      const message = await failureOf(appTester(app.searches.find_referral.operation.perform, { authData, inputData: { code: 'X', referral_status: 'won' } }));
      expect(message).toMatch(/^Referral Status: /);
    });
  });

  describe('Find Reward', () => {
    it('finds a reward by id, by referral and by status; an unknown id finds nothing', async () => {
      const { friend, referrer } = await createReferral(t, campaignId, 'f5');
      const q = await t.api('/v1/referrals/qualify', { body: { code: friend.code } });
      const rewardId: string = q.body.rewards[0].id;
      const byId = await appTester(app.searches.find_reward.operation.perform, { authData, inputData: { reward_id: rewardId } });
      expect(byId).toEqual([expect.objectContaining({ id: rewardId, participant_id: referrer.id, status: 'pending' })]);
      const byReferral = await appTester(app.searches.find_reward.operation.perform, { authData, inputData: { referral_id: friend.id, status: 'pending' } });
      expect(byReferral).toEqual([expect.objectContaining({ id: rewardId })]);
      const issued = await appTester(app.searches.find_reward.operation.perform, { authData, inputData: { referral_id: friend.id, status: 'issued' } });
      expect(issued).toEqual([]);
      const missing = await appTester(app.searches.find_reward.operation.perform, { authData, inputData: { reward_id: 'rwd_nothing_here' } });
      expect(missing).toEqual([]);
    });

    it('asks for something to look for', async () => {
      const message = await failureOf(appTester(app.searches.find_reward.operation.perform, { authData, inputData: {} }));
      expect(message).toMatch(/^Referral ID: enter a Reward ID, or at least one of/);
    });
  });

  describe('dropdowns', () => {
    it('lists campaigns for the Campaign dropdowns, page after page', async () => {
      const hub = await startTestHub();
      try {
        const created = [];
        for (let i = 0; i < 101; i++) created.push((await createCampaign(hub, `Program ${i}`)).id);
        const auth = connectionTo(hub);
        const first = await appTester(app.triggers.campaign_list.operation.perform, { authData: auth, meta: { page: 0 } });
        const second = await appTester(app.triggers.campaign_list.operation.perform, { authData: auth, meta: { page: 1 } });
        const third = await appTester(app.triggers.campaign_list.operation.perform, { authData: auth, meta: { page: 2 } });
        expect(first).toHaveLength(100);
        expect(second).toHaveLength(1);
        expect(third).toEqual([]);
        expect([...first, ...second].map((c) => c.id).sort()).toEqual(created.sort());
        expect(first[0]).toMatchObject({ name: 'Program 100', status: 'live' });
      } finally {
        await hub.close();
      }
    });

    it('lists rewards for the Reward dropdowns with a readable label', async () => {
      const { friend } = await createReferral(t, campaignId, 'f6');
      const q = await t.api('/v1/referrals/qualify', { body: { code: friend.code } });
      const rewards = await appTester(app.triggers.reward_list.operation.perform, { authData, meta: { page: 0 } });
      expect(rewards[0]).toMatchObject({ id: q.body.rewards[0].id, label: `$10.00 credit for the referrer (pending, ${q.body.rewards[0].id})` });
    });
  });
});
