import { dbKinds } from '../../support/hub';
import { DAY_MS, startStripeEnv, waitFor, type Scenario, type StripeEnv } from './support';

// On Postgres too when DATABASE_URL is set: spend events of one customer apply concurrently there.
describe.each(dbKinds())('Stripe connector on %s: qualify on spend within N days, refunds, replays and order', (kind) => {
  let env: StripeEnv;
  beforeAll(async () => {
    env = await startStripeEnv(kind);
  });
  afterAll(async () => env.close());

  const db = () => env.t.hub.db;
  /** A connected campaign (spend 50.00 USD within 30 days, refunds unqualify) with a referral whose friend is a Stripe customer. */
  const setup = async (rules: Record<string, unknown> = {}) => {
    const s = await env.scenario();
    await s.connect({ customer_creation: 'always', min_total_spend: 5000, within_days: 30, unqualify_on_refund: true, ...rules });
    const r = await s.referral();
    const customer = (await s.api(`/v1/participants/${r.friend.id}`)).body.crm.stripe.ids.customer as string;
    env.clock.advance(1000);
    return { s, ...r, customer };
  };
  /** Later payments get later Stripe timestamps. */
  const later = () => env.clock.advance(2000);
  const byId = (a: { payment_id: string }, b: { payment_id: string }) => (a.payment_id < b.payment_id ? -1 : a.payment_id > b.payment_id ? 1 : 0);
  const payments = async (s: Scenario, participantId: string) =>
    (await db().query<{ payment_id: string; refund: boolean; amount: number }>('SELECT payment_id, refund, amount::float8 AS amount FROM vendor_payments WHERE workspace_id = $1 AND participant_id = $2', [s.workspaceId, participantId])).sort(byId);

  it('qualifies when two charges cross the threshold, and pays the reward once', async () => {
    const { s, friend, referrer, customer } = await setup();
    await s.deliverAndSettle(s.stripe.charge({ customer, amount: 3000 }).events);
    expect(await s.status(friend.id)).toBe('pending');
    later();
    await s.deliverAndSettle(s.stripe.charge({ customer, amount: 2500 }).events);
    expect(await s.status(friend.id)).toBe('qualified');
    expect(await s.rewards()).toEqual([expect.objectContaining({ participant_id: referrer.id, referral_id: friend.id, amount: 1000, status: 'approved' })]);
    const timeline = (await s.api(`/v1/participants/${friend.id}/timeline`)).body.data;
    expect(timeline).toContainEqual(expect.objectContaining({ kind: 'qualification', source: 'stripe', data: expect.objectContaining({ to: 'qualified', reason: 'spend 5500 of 5000 USD within 30 days' }) }));
  });

  it('counts an invoice and the charge that paid it once, whichever arrives first and whatever API version rendered them', async () => {
    const { s, friend, customer } = await setup({ min_total_spend: 6000 });
    const current = s.stripe.payInvoice({ customer, amount: 4000 });
    later();
    const legacy = s.stripe.payInvoice({ customer, amount: 1500, legacyLinks: true });
    await s.deliverAndSettle([...current.events, ...[...legacy.events].reverse()]);
    expect(await payments(s, friend.id)).toEqual(
      [
        { payment_id: String(current.charge.payment_intent), refund: false, amount: 4000 },
        { payment_id: String(legacy.charge.payment_intent), refund: false, amount: 1500 },
      ].sort(byId),
    );
    expect(await s.status(friend.id)).toBe('pending');
    later();
    await s.deliverAndSettle(s.stripe.charge({ customer, amount: 500 }).events);
    expect(await s.status(friend.id)).toBe('qualified');
  });

  it('unqualifies when a refund inside the window drops spend below the threshold, voiding the unpaid reward', async () => {
    const { s, friend, customer } = await setup();
    const first = s.stripe.charge({ customer, amount: 3000 });
    later();
    const second = s.stripe.charge({ customer, amount: 2500 });
    await s.deliverAndSettle([...first.events, ...second.events]);
    expect(await s.status(friend.id)).toBe('qualified');
    later();
    // refund.created and charge.refunded both report it: subtracted once.
    const refund = s.stripe.refund(String(second.charge.id), 1000);
    await s.deliverAndSettle(refund.events);
    expect(await s.status(friend.id)).toBe('unqualified');
    expect((await s.rewards()).map((r) => r.status)).toEqual(['declined']);
    const [latest] = await db().query<{ reason: string }>("SELECT reason FROM qualifications WHERE participant_id = $1 AND to_status = 'unqualified'", [friend.id]);
    expect(latest.reason).toBe('refund: spend 4500 of 5000 USD within 30 days');
  });

  it('keeps the referral qualified after a refund when unqualify_on_refund is off, and never subtracts more than a payment', async () => {
    const { s, friend, customer } = await setup({ unqualify_on_refund: false });
    const paid = s.stripe.charge({ customer, amount: 6000 });
    await s.deliverAndSettle(paid.events);
    later();
    await s.deliverAndSettle(s.stripe.refund(String(paid.charge.id), 6000).events);
    expect(await s.status(friend.id)).toBe('qualified');
    expect((await s.rewards()).map((r) => r.status)).toEqual(['approved']);
  });

  it('changes nothing more when the same event is delivered 10 times', async () => {
    const { s, friend, customer } = await setup();
    const { events } = s.stripe.charge({ customer, amount: 5000 });
    const statuses = await s.deliverAndSettle(events, { times: 10 });
    expect(statuses).toEqual(Array(10).fill(200));
    expect(await s.status(friend.id)).toBe('qualified');
    const [stored] = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM vendor_events WHERE workspace_id = $1', [s.workspaceId]);
    expect(stored.n).toBe(1);
    expect(await payments(s, friend.id)).toHaveLength(1);
    const [q] = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM qualifications WHERE participant_id = $1', [friend.id]);
    expect(q.n).toBe(1);
    expect(await s.rewards()).toHaveLength(1);
  });

  it('ends in the same state when the events arrive in reverse order', async () => {
    const forward = await setup();
    const backward = await setup();
    const story = (s: Scenario, customer: string) => {
      const a = s.stripe.charge({ customer, amount: 3000 });
      later();
      const b = s.stripe.charge({ customer, amount: 2500 });
      later();
      const refund = s.stripe.refund(String(b.charge.id), 1000);
      later();
      const c = s.stripe.charge({ customer, amount: 200 });
      return [...a.events, ...b.events, ...refund.events, ...c.events];
    };
    await forward.s.deliverAndSettle(story(forward.s, forward.customer));
    await backward.s.deliverAndSettle(story(backward.s, backward.customer).reverse());
    for (const run of [forward, backward]) {
      expect(await run.s.status(run.friend.id)).toBe('unqualified');
      expect((await run.s.rewards()).every((r) => r.status === 'declined')).toBe(true);
    }
    // Without the refund rule both orders end qualified, with the same counted spend.
    const [f2, b2] = [await setup({ unqualify_on_refund: false }), await setup({ unqualify_on_refund: false })];
    await f2.s.deliverAndSettle(story(f2.s, f2.customer));
    await b2.s.deliverAndSettle(story(b2.s, b2.customer).reverse());
    expect([await f2.s.status(f2.friend.id), await b2.s.status(b2.friend.id)]).toEqual(['qualified', 'qualified']);
    expect((await payments(f2.s, f2.friend.id)).length).toBe((await payments(b2.s, b2.friend.id)).length);
  });

  it('closes the referral as unqualified (window_expired) when the window ends below the threshold; later spend never counts', async () => {
    const { s, friend, customer } = await setup({ within_days: 7 });
    const other = await s.referral();
    await s.deliverAndSettle(s.stripe.charge({ customer, amount: 4000 }).events);
    env.clock.advance(6 * DAY_MS);
    await new Promise((r) => setTimeout(r, 500));
    expect(await s.status(friend.id)).toBe('pending');
    env.clock.advance(DAY_MS + 60_000);
    await waitFor(async () => (await s.status(friend.id)) === 'unqualified', 'window closed');
    await waitFor(async () => (await s.status(other.friend.id)) === 'unqualified', 'window closed without any spend');
    const [closed] = await db().query<{ reason: string; source: string }>("SELECT reason, source FROM qualifications WHERE participant_id = $1 AND to_status = 'unqualified'", [friend.id]);
    expect(closed).toEqual({ reason: 'window_expired', source: 'stripe' });
    await s.deliverAndSettle(s.stripe.charge({ customer, amount: 9000 }).events);
    expect(await s.status(friend.id)).toBe('unqualified');
    expect(await s.rewards()).toEqual([]);
  });

  it('does not count a payment made before the sign-up or after the window', async () => {
    const s = await env.scenario();
    await s.connect({ customer_creation: 'never', min_total_spend: 5000, within_days: 2 });
    const customer = String(s.stripe.addCustomer({ email: 'early@example.com' }).id);
    const before = s.stripe.charge({ customer, amount: 9000 });
    env.clock.advance(5000);
    const { friend } = await s.referral('early@example.com');
    env.clock.advance(3 * DAY_MS);
    const after = s.stripe.charge({ customer, amount: 9000 });
    // Delivered late (Stripe retries for days): the window of the friend is [sign-up, sign-up + 2 days].
    await s.deliverAndSettle([...before.events, ...after.events]);
    const [outcomes] = await db().query<{ n: number }>("SELECT count(*)::int AS n FROM vendor_events WHERE workspace_id = $1 AND outcome LIKE 'counted: spend 0 of 5000%'", [s.workspaceId]);
    expect(outcomes.n).toBe(2);
    expect(['pending', 'unqualified']).toContain(await s.status(friend.id));
    expect(await s.rewards()).toEqual([]);
  });
});
