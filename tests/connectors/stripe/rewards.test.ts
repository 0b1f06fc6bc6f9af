import { stripeTiming } from '../../../connectors/stripe/client';
import { startStripeEnv, waitFor, type Scenario, type StripeEnv } from './support';

describe('Stripe connector: rewards issued as balance credits or coupons', () => {
  let env: StripeEnv;
  beforeAll(async () => {
    env = await startStripeEnv();
  });
  afterAll(async () => env.close());

  /** A referral qualified through the API, so the campaign's rule creates its reward. */
  const qualified = async (s: Scenario, rules: Record<string, unknown> = { issue_rewards: true }) => {
    await s.connect({ customer_creation: 'never', ...rules });
    const r = await s.referral();
    const res = await s.api('/v1/referrals/qualify', { body: { participant_id: r.friend.id } });
    expect(res.status).toBe(200);
    await s.settled();
    const [reward] = await s.rewards();
    return { ...r, reward };
  };
  const balanceTransactions = (s: Scenario) => [...s.stripe.state.balanceTransactions.values()].flat();

  it('issues a credit reward as a negative customer balance transaction, once, though the first answers are lost', async () => {
    const s = await env.scenario();
    const before = stripeTiming.timeoutMs;
    stripeTiming.timeoutMs = 300;
    try {
      // Rate limited first (nothing done), then answered too late twice (done at Stripe after the retries ask again).
      s.stripe.fake.fail('POST /v1/customers/:id/balance_transactions', { status: 429, headers: { 'retry-after': '0' }, body: { error: { type: 'invalid_request_error', message: 'Too many requests' } } }, 1);
      s.stripe.fake.fail('POST /v1/customers/:id/balance_transactions', { delayMs: 700 }, 2, 1);
      const { referrer, reward } = await qualified(s);
      await new Promise((r) => setTimeout(r, 800));
      const txns = balanceTransactions(s);
      expect(txns).toEqual([expect.objectContaining({ amount: -1000, currency: 'usd', metadata: expect.objectContaining({ referloop_reward_id: reward.id }) })]);
      expect(reward).toMatchObject({ participant_id: referrer.id, status: 'issued', external_id: txns[0].id, last_error: null });
      const attempts = s.stripe.fake.requestsTo('POST /v1/customers/:id/balance_transactions');
      expect(attempts.length).toBeGreaterThanOrEqual(3);
      expect(new Set(attempts.map((a) => a.headers['idempotency-key']))).toEqual(new Set([reward.id]));
      // The recipient had no Stripe customer: one was made for the referrer's email, and credited.
      const [customer] = s.stripe.customersWithEmail(referrer.email);
      expect(customer).toMatchObject({ balance: -1000, metadata: { referloop_participant_id: referrer.id } });
      const issued = (await s.api('/v1/events?type=reward.issued')).body.data;
      expect(issued).toEqual([expect.objectContaining({ data: expect.objectContaining({ id: reward.id, external_id: txns[0].id }) })]);
    } finally {
      stripeTiming.timeoutMs = before;
    }
  });

  it('issues a coupon reward as a coupon and a one-time promotion code for the recipient, with the code on the reward', async () => {
    const s = await env.scenario({ reward_rules: [{ trigger: 'each_qualified', recipient: 'friend', kind: 'coupon', percent_off: 20, description: '20% off your next order' }] });
    const { friend, reward } = await qualified(s);
    const [promo] = [...s.stripe.state.promotionCodes.values()];
    const [coupon] = [...s.stripe.state.coupons.values()];
    expect(coupon).toMatchObject({ percent_off: 20, duration: 'once', max_redemptions: 1, name: '20% off your next order' });
    expect(promo).toMatchObject({ active: true, max_redemptions: 1, promotion: { type: 'coupon', coupon: coupon.id }, customer: s.stripe.customersWithEmail(friend.email)[0].id });
    expect(reward).toMatchObject({ participant_id: friend.id, kind: 'coupon', status: 'issued', external_id: promo.id, reward_code: promo.code });
  });

  it('leaves the reward approved with the Stripe error recorded when Stripe refuses it', async () => {
    const s = await env.scenario({ reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 1000, currency: 'eur' }] });
    await s.connect({ customer_creation: 'never', issue_rewards: true });
    const { referrer, friend } = await s.referral();
    // The referrer is already a customer billed in USD: Stripe refuses a EUR balance credit.
    const customer = s.stripe.addCustomer({ email: referrer.email });
    s.stripe.state.customers.set(String(customer.id), { ...customer, currency: 'usd' });
    await s.api('/v1/referrals/qualify', { body: { participant_id: friend.id } });
    await s.settled();
    const [reward] = await s.rewards();
    expect(reward).toMatchObject({ status: 'approved', external_id: null, last_error: expect.stringContaining("does not match the customer's currency") });
    expect(balanceTransactions(s)).toEqual([]);
    // A person can still settle it by hand.
    const manual = await s.api(`/v1/rewards/${String(reward.id)}/issue`, { body: { external_id: 'paid-by-hand' } });
    expect(manual.body).toMatchObject({ status: 'issued', external_id: 'paid-by-hand' });
  });

  it('issues nothing through Stripe for a test-mode campaign, nor when the campaign does not ask for it', async () => {
    const testMode = await env.scenario({ test_mode: true });
    const a = await qualified(testMode);
    expect(a.reward.status).toBe('approved');
    const optedOut = await env.scenario();
    const b = await qualified(optedOut, { issue_rewards: false });
    expect(b.reward.status).toBe('approved');
    for (const s of [testMode, optedOut]) {
      expect(s.stripe.fake.requestsTo('POST /v1/customers/:id/balance_transactions')).toEqual([]);
      expect(s.stripe.fake.requestsTo('POST /v1/customers')).toEqual([]);
    }
  });

  it('issues a reward approved by a person later, and never one that was declined', async () => {
    const s = await env.scenario({ reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 700, currency: 'usd', approval: 'manual' }] });
    const first = await qualified(s);
    expect(first.reward.status).toBe('pending');
    expect((await s.api(`/v1/rewards/${first.reward.id}/approve`, { body: {} })).status).toBe(200);
    await waitFor(async () => (await s.api(`/v1/rewards/${first.reward.id}`)).body.status === 'issued', 'issued after approval');
    const second = await s.referral();
    await s.api('/v1/referrals/qualify', { body: { participant_id: second.friend.id } });
    await s.settled();
    const pending = (await s.rewards()).find((r) => r.referral_id === second.friend.id);
    expect((await s.api(`/v1/rewards/${String(pending?.id)}/decline`, { body: {} })).status).toBe(200);
    await s.settled();
    expect(balanceTransactions(s)).toEqual([expect.objectContaining({ amount: -700 })]);
  });
});
