import { z } from 'zod';
import { rewardSchema } from '../../../core/src/schemas/reward';
import { addParticipant, createCampaign } from '../../support/fixtures';
import { runModule } from './runtime/runner';
import { outputProblems, type MakeSession, startMakeSession } from './support/hub-session';

let s: MakeSession;
let campaign: { id: string };
let rewards: Array<{ id: string; recipient: string }>;
beforeAll(async () => {
  s = await startMakeSession();
  // Manual approval: rewards wait for review, so approve/decline/issue have something to act on.
  campaign = await createCampaign(s.t, {
    name: 'Reviewed rewards',
    reward_rules: [{ trigger: 'each_qualified', recipient: 'both', kind: 'credit', amount: 500, currency: 'EUR', approval: 'manual' }],
  });
  const referrer = await addParticipant(s.t, { campaign_id: campaign.id, email: 'rita@example.com' });
  const friend = await addParticipant(s.t, { campaign_id: campaign.id, email: 'ada@example.com', referrer_code: referrer.code });
  const res = await s.t.api('/v1/referrals/qualify', { body: { code: friend.code } });
  expect(res.status).toBe(200);
  rewards = res.body.rewards;
  expect(rewards).toHaveLength(2);
});
afterAll(() => s.t.close());

const run = (moduleId: string, input: Record<string, unknown>) => runModule(s.app, moduleId, input, s.connection);
const single = async (moduleId: string, input: Record<string, unknown>) => {
  const { bundles } = await run(moduleId, input);
  expect(bundles).toHaveLength(1);
  return bundles[0];
};
// Outputs are parsed with the hub's own schemas: a module that outputs anything else fails here.
const reward = async (moduleId: string, input: Record<string, unknown>) => rewardSchema.parse(await single(moduleId, input));
const apiCall = async (input: Record<string, unknown>) =>
  z.object({ statusCode: z.number(), headers: z.record(z.string(), z.string()), body: z.unknown() }).strict().parse(await single('makeApiCall', input));

describe('reward modules', () => {
  it('lists the rewards waiting for review', async () => {
    const { bundles } = await run('listRewards', { status: 'pending', campaign_id: campaign.id });
    expect(bundles).toHaveLength(2);
    for (const b of bundles) {
      expect(b).toMatchObject({ status: 'pending', approval: 'manual', amount: 500, currency: 'EUR' });
      expect(outputProblems(s.app, 'listRewards', b)).toEqual([]);
    }
  });

  it('approves one reward, then issues it with the payout reference', async () => {
    const approved = await reward('approveReward', { reward_id: rewards[0].id, reason: 'checked by support' });
    expect(approved).toMatchObject({ id: rewards[0].id, status: 'approved' });
    expect(outputProblems(s.app, 'approveReward', approved)).toEqual([]);
    const issued = await reward('issueReward', { reward_id: rewards[0].id, external_id: 'payout_8812', reward_code: 'THANKS-5' });
    expect(issued).toMatchObject({ id: rewards[0].id, status: 'issued', external_id: 'payout_8812', reward_code: 'THANKS-5' });
    expect(issued.issued_at).toEqual(expect.any(String));
    expect(outputProblems(s.app, 'issueReward', issued)).toEqual([]);
  });

  it('declines the other reward with a reason', async () => {
    const declined = await reward('declineReward', { reward_id: rewards[1].id, reason: 'duplicate account' });
    expect(declined).toMatchObject({ id: rewards[1].id, status: 'declined', reason: 'duplicate account' });
    expect(outputProblems(s.app, 'declineReward', declined)).toEqual([]);
  });

  it('reports a status change the hub does not allow as a data error', async () => {
    await expect(run('approveReward', { reward_id: rewards[1].id })).rejects.toMatchObject({ type: 'DataError', statusCode: 409, message: expect.stringMatching(/^\[409\] \S/) });
    await expect(run('issueReward', { reward_id: 'rwd_nope' })).rejects.toMatchObject({ type: 'DataError', statusCode: 404 });
  });

  it('filters the list by status after the review', async () => {
    const issued = await run('listRewards', { status: 'issued' });
    expect(issued.bundles).toEqual([expect.objectContaining({ id: rewards[0].id })]);
    const all = await run('listRewards', { campaign_id: campaign.id, limit: 1 });
    expect(all.bundles).toHaveLength(1);
  });
});

describe('Make an API Call', () => {
  it('calls a path under the hub URL with the connection’s key', async () => {
    const out = await apiCall({ url: '/v1/campaigns', method: 'GET', qs: [{ key: 'limit', value: '1' }] });
    expect(out.statusCode).toBe(200);
    expect(out.body).toMatchObject({ data: [expect.objectContaining({ id: campaign.id })], next_cursor: null });
    expect(out.headers).toMatchObject({ 'content-type': expect.stringContaining('application/json') });
    expect(outputProblems(s.app, 'makeApiCall', out)).toEqual([]);
  });

  it('sends a JSON body and extra headers', async () => {
    const out = await apiCall({
      url: '/v1/participants',
      method: 'POST',
      headers: [{ key: 'Idempotency-Key', value: 'make-call-1' }],
      body: JSON.stringify({ campaign_id: campaign.id, email: 'cy@example.com' }),
    });
    expect(out.statusCode).toBe(201);
    expect(out.body).toMatchObject({ email: 'cy@example.com', campaign_id: campaign.id });
  });

  it('turns an error answer into a Make error', async () => {
    await expect(run('makeApiCall', { url: '/v1/nothing-here', method: 'GET' })).rejects.toMatchObject({ type: 'DataError', statusCode: 404 });
  });
});
