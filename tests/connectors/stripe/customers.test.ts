import { stripeTiming } from '../../../connectors/stripe/client';
import { startStripeEnv, waitFor, type Scenario, type StripeEnv } from './support';

describe('Stripe connector: customer creation policy per campaign', () => {
  let env: StripeEnv;
  beforeAll(async () => {
    env = await startStripeEnv();
  });
  afterAll(async () => env.close());

  const rules = (customer_creation: string) => ({ customer_creation, min_total_spend: 5000, within_days: 30 });
  const pushed = async (s: Scenario, id: string) => (await s.api(`/v1/participants/${id}`)).body.crm?.stripe?.ids?.customer as string | undefined;
  /** A payment a second after now (vendor times are in whole seconds). */
  const pay = async (s: Scenario, customer: string, amount: number) => {
    env.clock.advance(1000);
    return s.deliverAndSettle(s.stripe.charge({ customer, amount }).events);
  };

  it('never: makes no customer; the one checkout makes later is matched by email and its spend qualifies', async () => {
    const s = await env.scenario();
    await s.connect(rules('never'));
    const { friend } = await s.referral();
    expect(s.stripe.state.customers.size).toBe(0);
    expect(await pushed(s, friend.id)).toBeUndefined();
    const checkout = s.stripe.addCustomer({ email: friend.email, name: 'Fred Friend' });
    await pay(s, String(checkout.id), 6000);
    expect(await s.status(friend.id)).toBe('qualified');
  });

  it('always: makes a customer with the referral metadata even when one has the email, and only spend on ours counts', async () => {
    const s = await env.scenario();
    await s.connect(rules('always'));
    const earlier = s.stripe.addCustomer({ email: 'dup@example.com' });
    const { friend, referrer } = await s.referral('dup@example.com');
    const ours = await pushed(s, friend.id);
    expect(ours).toBeDefined();
    expect(ours).not.toBe(earlier.id);
    expect(s.stripe.customersWithEmail('dup@example.com')).toHaveLength(2);
    expect(s.stripe.state.customers.get(String(ours))).toMatchObject({
      email: 'dup@example.com',
      name: 'Fred Friend',
      metadata: {
        referloop_first_name: 'Fred',
        referloop_email: 'dup@example.com',
        referloop_code: friend.code,
        referloop_referrer_email: referrer.email,
        referloop_referrer_name: 'Rita Referrer',
        referloop_participant_id: friend.id,
        referloop_referral_link: expect.stringContaining(`/r/${friend.code}`),
      },
    });
    await pay(s, String(earlier.id), 9000);
    expect(await s.status(friend.id)).toBe('pending');
    await pay(s, String(ours), 5000);
    expect(await s.status(friend.id)).toBe('qualified');
  });

  it('if_not_exists: an existing customer is never linked and the referral is closed at once; a new email gets a customer', async () => {
    const s = await env.scenario();
    await s.connect(rules('if_not_exists'));
    const existing = s.stripe.addCustomer({ email: 'known@example.com' });
    const known = await s.referral('known@example.com');
    expect(s.stripe.customersWithEmail('known@example.com')).toHaveLength(1);
    expect(await pushed(s, known.friend.id)).toBeUndefined();
    expect(await s.status(known.friend.id)).toBe('unqualified');
    const timeline = (await s.api(`/v1/participants/${known.friend.id}/timeline`)).body.data;
    expect(timeline).toContainEqual(expect.objectContaining({ kind: 'qualification', source: 'stripe', data: expect.objectContaining({ to: 'unqualified', reason: expect.stringContaining(String(existing.id)) }) }));
    await pay(s, String(existing.id), 9000);
    expect(await s.status(known.friend.id)).toBe('unqualified');
    expect(await s.rewards()).toEqual([]);

    const fresh = await s.referral('new@example.com');
    const made = await pushed(s, fresh.friend.id);
    expect(s.stripe.customersWithEmail('new@example.com').map((c) => c.id)).toEqual([made]);
    await pay(s, String(made), 5000);
    expect(await s.status(fresh.friend.id)).toBe('qualified');
  });

  it('update_existing: reuses the customer with the email, writes the metadata onto it, and counts its spend', async () => {
    const s = await env.scenario();
    await s.connect({ ...rules('update_existing'), metadata: { first_name: 'friend_first', email: 'friend_email', referrer_code: 'referred_by' }, metadata_values: { source: 'referloop' } });
    const existing = s.stripe.addCustomer({ email: 'regular@example.com', name: 'Regular Customer' });
    const { friend, referrer } = await s.referral('regular@example.com');
    expect(await pushed(s, friend.id)).toBe(existing.id);
    expect(s.stripe.customersWithEmail('regular@example.com')).toHaveLength(1);
    expect(s.stripe.state.customers.get(String(existing.id))).toMatchObject({
      name: 'Regular Customer',
      metadata: { friend_first: 'Fred', friend_email: 'regular@example.com', referred_by: referrer.code, source: 'referloop', referloop_participant_id: friend.id },
    });
    await pay(s, String(existing.id), 5000);
    expect(await s.status(friend.id)).toBe('qualified');
  });

  it('retries a push whose answer was lost without making a second customer', async () => {
    const s = await env.scenario();
    await s.connect(rules('always'));
    // The first create is answered too late (the SDK gives up); it still runs at Stripe, after the retry.
    const before = stripeTiming.timeoutMs;
    stripeTiming.timeoutMs = 300;
    try {
      s.stripe.fake.fail('POST /v1/customers', { delayMs: 800 }, 1);
      const { friend } = await s.referral('slow@example.com');
      const id = await pushed(s, friend.id);
      await new Promise((r) => setTimeout(r, 900));
      expect(s.stripe.customersWithEmail('slow@example.com').map((c) => c.id)).toEqual([id]);
      const creates = s.stripe.fake.requestsTo('POST /v1/customers');
      expect(creates.length).toBeGreaterThanOrEqual(2);
      expect(new Set(creates.map((r) => r.headers['idempotency-key']))).toEqual(new Set([`referloop-customer-${friend.id}`]));
    } finally {
      stripeTiming.timeoutMs = before;
    }
  });

  it('syncs the account customers into imported participants and writes their code and link into the metadata', async () => {
    const s = await env.scenario();
    await s.connect(rules('never'));
    for (let i = 0; i < 3; i++) s.stripe.addCustomer({ email: `buyer${i}@example.com`, name: `Buyer Number${i}` });
    const sync = await s.api('/v1/integrations/stripe/sync', { body: { mode: 'once', campaign_id: s.campaignId } });
    expect(sync.status).toBe(202);
    await waitFor(async () => (await s.api(`/v1/integrations/stripe/syncs/${sync.body.id}`)).body.state === 'completed', 'sync completed');
    const imported = (await s.api(`/v1/participants?campaign_id=${s.campaignId}&type=imported`)).body.data;
    expect(imported).toHaveLength(3);
    for (const p of imported) {
      const [customer] = s.stripe.customersWithEmail(p.email);
      expect(p).toMatchObject({ first_name: 'Buyer', crm: { stripe: { ids: { customer: customer.id }, origin: 'sync' } } });
      expect(customer.metadata).toMatchObject({ referloop_code: p.code, referloop_referral_link: p.referral_link });
    }
  });

  it('never pushes participants of a test-mode campaign', async () => {
    const s = await env.scenario({ test_mode: true });
    await s.connect(rules('always'));
    await s.referral('test-mode@example.com');
    expect(s.stripe.fake.requestsTo('POST /v1/customers')).toEqual([]);
    expect(s.stripe.state.customers.size).toBe(0);
  });
});
