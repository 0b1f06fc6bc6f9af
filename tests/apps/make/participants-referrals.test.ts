import { conversionSchema } from '../../../core/src/schemas/conversion';
import { type Participant, participantSchema } from '../../../core/src/schemas/participant';
import { qualifyResultSchema } from '../../../core/src/schemas/referral';
import { createCampaign } from '../../support/fixtures';
import { z } from 'zod';
import { runModule } from './runtime/runner';
import { outputProblems, type MakeSession, startMakeSession } from './support/hub-session';

let s: MakeSession;
let campaign: { id: string };
let referrer: Participant;
beforeAll(async () => {
  s = await startMakeSession();
  campaign = await createCampaign(s.t);
});
afterAll(() => s.t.close());

const run = (moduleId: string, input: Record<string, unknown>) => runModule(s.app, moduleId, input, s.connection);
const single = async (moduleId: string, input: Record<string, unknown>) => {
  const { bundles } = await run(moduleId, input);
  expect(bundles).toHaveLength(1);
  return bundles[0];
};
// Outputs are parsed with the hub's own schemas: a module that outputs anything else fails here.
const participant = async (input: Record<string, unknown>) => participantSchema.parse(await single('addParticipant', input));
const qualification = async (moduleId: string, input: Record<string, unknown>) => qualifyResultSchema.parse(await single(moduleId, input));
const conversion = async (input: Record<string, unknown>) => conversionSchema.parse(await single('trackConversion', input));

describe('Add a Participant', () => {
  it('adds a participant and outputs the participant the API stores', async () => {
    referrer = await participant({ campaign_id: campaign.id, email: 'rita@example.com', first_name: 'Rita', last_name: 'Rossi' });
    expect(referrer).toMatchObject({ object: 'participant', type: 'direct', email: 'rita@example.com', name: 'Rita Rossi', campaign_id: campaign.id });
    expect(outputProblems(s.app, 'addParticipant', referrer)).toEqual([]);
    const stored = await s.t.api(`/v1/participants/${referrer.id}`);
    expect(referrer).toEqual(stored.body);
  });

  it("makes a referral from the referrer's code and sends the metadata as an object", async () => {
    const friend = await participant({
      campaign_id: campaign.id,
      email: 'ada@example.com',
      first_name: 'Ada',
      referrer_code: referrer.code,
      external_id: 'crm-4821',
      metadata: [
        { key: 'plan', value: 'pro' },
        { key: 'seats', value: '3' },
      ],
    });
    expect(friend).toMatchObject({ type: 'referred', referrer_id: referrer.id, referrer_code: referrer.code, referral_status: 'pending', external_id: 'crm-4821' });
    expect(friend.metadata).toEqual({ plan: 'pro', seats: '3' });
    expect(friend.last_name).toBeNull();
  });

  it('returns the existing participant for an email already in the campaign', async () => {
    const again = await participant({ campaign_id: campaign.id, email: 'RITA@example.com' });
    expect(again.id).toBe(referrer.id);
  });

  it('fails with a data error naming the field when the hub refuses the input', async () => {
    await expect(run('addParticipant', { campaign_id: campaign.id, email: 'not-an-email' })).rejects.toMatchObject({
      type: 'DataError',
      statusCode: 400,
      message: expect.stringMatching(/^\[400\] .*email/),
    });
    await expect(run('addParticipant', { email: 'x@example.com' })).rejects.toThrow(/campaign_id/);
  });
});

describe('Qualify and Unqualify a Referral', () => {
  let friends: Participant[];
  beforeAll(async () => {
    friends = [];
    for (const email of ['bo@example.com', 'cy@example.com', 'di@example.com']) {
      friends.push(await participant({ campaign_id: campaign.id, email, referrer_code: referrer.code }));
    }
  });

  it('qualifies by referral code and outputs the referral with the rewards it earned', async () => {
    const out = await qualification('qualifyReferral', { select_by: 'code', code: friends[0].code, reason: 'first order paid' });
    expect(out.changed).toBe(true);
    expect(out.referral).toMatchObject({ id: friends[0].id, referral_status: 'qualified' });
    expect(out.rewards).toEqual([expect.objectContaining({ object: 'reward', participant_id: referrer.id, referral_id: friends[0].id, amount: 1000, currency: 'USD' })]);
    expect(outputProblems(s.app, 'qualifyReferral', out)).toEqual([]);
  });

  it('answers changed=false when the referral is already qualified', async () => {
    const out = await qualification('qualifyReferral', { select_by: 'code', code: friends[0].code });
    expect(out).toMatchObject({ changed: false, rewards: [] });
  });

  it('qualifies by email and campaign, and by participant id', async () => {
    const byEmail = await qualification('qualifyReferral', { select_by: 'email', email: friends[1].email, campaign_id: campaign.id, idempotency_key: 'order-77' });
    expect(byEmail.referral).toMatchObject({ id: friends[1].id, referral_status: 'qualified' });
    const byId = await qualification('qualifyReferral', { select_by: 'participant_id', participant_id: friends[2].id });
    expect(byId.referral).toMatchObject({ id: friends[2].id, referral_status: 'qualified' });
  });

  it('unqualifies a referral and outputs the rewards it voided', async () => {
    const out = await qualification('unqualifyReferral', { select_by: 'code', code: friends[0].code, reason: 'refund' });
    expect(out.changed).toBe(true);
    expect(out.referral).toMatchObject({ id: friends[0].id, referral_status: 'unqualified' });
    expect(out.rewards).toEqual([expect.objectContaining({ referral_id: friends[0].id, status: 'declined' })]);
    expect(outputProblems(s.app, 'unqualifyReferral', out)).toEqual([]);
  });

  it('reports a participant that was not referred as a data error', async () => {
    await expect(run('qualifyReferral', { select_by: 'code', code: referrer.code })).rejects.toMatchObject({ type: 'DataError', statusCode: 409 });
    await expect(run('qualifyReferral', { select_by: 'code', code: 'NOSUCHCODE' })).rejects.toMatchObject({ type: 'DataError', statusCode: 404 });
  });
});

describe('Search Participants', () => {
  it('filters by campaign and referral status', async () => {
    const { bundles } = await run('searchParticipants', { campaign_id: campaign.id, referral_status: 'qualified', limit: 50 });
    expect(bundles.length).toBe(2);
    for (const b of bundles) expect(outputProblems(s.app, 'searchParticipants', b)).toEqual([]);
    const byEmail = await run('searchParticipants', { email: 'ada@example.com' });
    expect(byEmail.bundles).toEqual([expect.objectContaining({ email: 'ada@example.com' })]);
  });

  it('follows next_cursor across pages until the limit is reached', async () => {
    const big = await createCampaign(s.t, { name: 'Big list' });
    for (let i = 0; i < 105; i++) {
      const res = await s.t.api('/v1/participants', { body: { campaign_id: big.id, email: `p${i}@example.com` } });
      expect(res.status).toBe(201);
    }
    const { bundles, result } = await run('searchParticipants', { campaign_id: big.id, limit: 103 });
    expect(bundles).toHaveLength(103);
    expect(result.responses).toHaveLength(2);
    expect(new Set(z.array(participantSchema).parse(bundles).map((b) => b.id)).size).toBe(103);
    const all = await run('searchParticipants', { campaign_id: big.id, limit: 500 });
    expect(all.bundles).toHaveLength(105);
    const few = await run('searchParticipants', { campaign_id: big.id, limit: 5 });
    expect(few.bundles).toHaveLength(5);
    expect(few.result.responses).toHaveLength(1);
  });
});

describe('Track a Conversion', () => {
  it('records a purchase found by email and campaign, with money in minor units and metadata', async () => {
    const out = await conversion({
      event: 'purchase',
      identify_by: 'email',
      email: 'ada@example.com',
      campaign_id: campaign.id,
      amount: 4999,
      currency: 'usd',
      transaction_id: 'order_1042',
      metadata: [{ key: 'sku', value: 'pro-annual' }],
    });
    expect(out).toMatchObject({ object: 'conversion', campaign_id: campaign.id, event: 'purchase', amount: 4999, currency: 'USD', transaction_id: 'order_1042', source: 'api', metadata: { sku: 'pro-annual' } });
    expect(outputProblems(s.app, 'trackConversion', out)).toEqual([]);
    const again = await conversion({ identify_by: 'code', code: referrer.code, transaction_id: 'order_1042', event: 'purchase' });
    expect(again.id).toBe(out.id);
  });

  it("qualifies a referral when the conversion meets the campaign's goal", async () => {
    const goal = await createCampaign(s.t, { name: 'Goal', goal: { event: 'purchase', min_amount: 2000, currency: 'USD' } });
    const rita = await participant({ campaign_id: goal.id, email: 'rita@goal.example' });
    const ada = await participant({ campaign_id: goal.id, email: 'ada@goal.example', referrer_code: rita.code });
    await conversion({ identify_by: 'participant_id', participant_id: ada.id, amount: 2500, currency: 'USD' });
    expect((await s.t.api(`/v1/participants/${ada.id}`)).body.referral_status).toBe('qualified');
  });

  it('refuses an amount without a currency, naming the field', async () => {
    await expect(run('trackConversion', { identify_by: 'code', code: referrer.code, amount: 100 })).rejects.toMatchObject({ type: 'DataError', message: expect.stringContaining('currency') });
  });
});

