import { startStripeEnv, type StripeEnv } from './support';

describe('Stripe connector: connect, webhook endpoint, signed deliveries', () => {
  let env: StripeEnv;
  beforeAll(async () => {
    env = await startStripeEnv();
  });
  afterAll(async () => env.close());

  const storedEvents = async (workspaceId: string) => (await env.t.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM vendor_events WHERE workspace_id = $1', [workspaceId]))[0].n;

  it('creates the webhook endpoint at Stripe for our inbound URL, keeps its signing secret, and never shows the key', async () => {
    const s = await env.scenario();
    const res = await s.connect({ min_total_spend: 5000 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ vendor: 'stripe', status: 'connected', account: { id: s.stripe.state.account.id }, manual_webhooks: null, last_error: null });
    expect(res.body.settings).toMatchObject({ currency: 'usd', campaigns: { [s.campaignId]: { min_total_spend: 5000 } } });
    const endpoints = [...s.stripe.state.endpoints.values()].map((e) => e.object);
    expect(endpoints).toEqual([
      expect.objectContaining({ url: res.body.inbound_url, api_version: '2026-10-28.endive', enabled_events: ['charge.succeeded', 'charge.captured', 'charge.refunded', 'refund.created', 'invoice.paid'] }),
    ]);
    expect(res.body.webhooks).toEqual([{ id: endpoints[0].id, event: expect.stringContaining('invoice.paid'), url: res.body.inbound_url }]);
    const shown = JSON.stringify((await s.api('/v1/integrations/stripe')).body);
    expect(shown).not.toContain(s.stripe.secretKey);
    expect(shown).not.toContain([...s.stripe.state.endpoints.values()][0].secret);
    // Reconnecting adopts the endpoint (the secret is kept), never a second one.
    expect((await s.connect({ min_total_spend: 6000 })).status).toBe(200);
    expect(s.stripe.state.endpoints.size).toBe(1);
  });

  it('answers 400 to a bad signature or a stale timestamp and stores nothing; accepts the same event signed right', async () => {
    const s = await env.scenario();
    const { body } = await s.connect({ min_total_spend: 5000 });
    const { friend } = await s.referral();
    const customer = s.stripe.addCustomer({ email: friend.email });
    const { events } = s.stripe.charge({ customer: String(customer.id), amount: 1200 });
    const forged = await s.stripe.deliver(events, { secret: 'whsec_notthesecretatall' });
    const stale = await s.stripe.deliver(events, { timestamp: Math.floor(env.clock.now().getTime() / 1000) - 301 });
    expect([...forged, ...stale]).toEqual([400, 400]);
    const unsigned = await fetch(body.inbound_url, { method: 'POST', body: JSON.stringify(events[0]), headers: { 'content-type': 'application/json' } });
    expect(unsigned.status).toBe(400);
    expect(await unsigned.json()).toMatchObject({ status: 400, detail: expect.stringContaining('Stripe-Signature') });
    // Bytes changed after signing (re-serialised JSON) no longer verify.
    const good = s.stripe.signed(events[0], body.inbound_url);
    const tampered = await fetch(good.url, { method: 'POST', body: JSON.stringify(JSON.parse(good.body), null, 1), headers: good.headers });
    expect(tampered.status).toBe(400);
    expect(await storedEvents(s.workspaceId)).toBe(0);
    expect(await s.deliverAndSettle(events)).toEqual([200]);
    expect(await storedEvents(s.workspaceId)).toBe(1);
  });

  it('with a restricted key that may not manage webhooks: answers the URL and events to add by hand, then accepts the pasted signing secret', async () => {
    const s = await env.scenario();
    const key = s.stripe.restrictedKey({ webhook_endpoints: 'rak_webhook_write', account: 'rak_accounts_kyc_basic_read' });
    const res = await s.connect({ min_total_spend: 5000 }, { credentials: { secret_key: key }, settings: { currency: 'usd' } });
    expect(res.status).toBe(200);
    // The key may not read the account: Stripe names it in the refusal.
    expect(res.body.account).toEqual({ id: s.stripe.state.account.id, name: null });
    expect(res.body.webhooks).toEqual([]);
    expect(res.body.manual_webhooks).toEqual({ events: ['charge.succeeded', 'charge.captured', 'charge.refunded', 'refund.created', 'invoice.paid'], instructions: expect.stringContaining(res.body.inbound_url) });
    expect(res.body.manual_webhooks.instructions).toContain('credentials.webhook_secret');
    expect(s.stripe.state.endpoints.size).toBe(0);

    // The user adds the endpoint in the dashboard (Stripe shows its secret there) and pastes the secret.
    const secret = 'whsec_pastedByTheUser0123456789';
    const { friend } = await s.referral();
    const { events } = s.stripe.charge({ customer: null, amount: 900, email: friend.email });
    expect(await s.stripe.deliver(events, { url: res.body.inbound_url, secret })).toEqual([400]);
    const again = await s.connect({ min_total_spend: 5000 }, { credentials: { secret_key: key, webhook_secret: secret }, settings: { currency: 'usd' } });
    expect(again.status).toBe(200);
    expect(again.body.inbound_url).toBe(res.body.inbound_url);
    expect(await s.stripe.deliver(events, { url: res.body.inbound_url, secret })).toEqual([200]);
  });

  it('needs the spend currency when a restricted key may not read the account', async () => {
    const s = await env.scenario();
    const key = s.stripe.restrictedKey({ account: 'rak_accounts_kyc_basic_read' });
    const res = await s.connect({ min_total_spend: 5000 }, { credentials: { secret_key: key } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'settings.currency', message: expect.stringContaining('is required') }]);
    expect((await s.api('/v1/integrations/stripe')).status).toBe(404);
  });

  it("enforces Stripe's metadata limits when saving, naming the setting", async () => {
    const s = await env.scenario();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ metadata: { first_name: 'k'.repeat(41), email: 'ref_email' } }, `settings.campaigns.${s.campaignId}.metadata.first_name`],
      [{ metadata: { email: 'ref_email' } }, `settings.campaigns.${s.campaignId}.metadata.first_name`],
      [{ metadata: { first_name: 'a[b]', email: 'ref_email' } }, `settings.campaigns.${s.campaignId}.metadata.first_name`],
      [{ metadata_values: { source: 'x'.repeat(501) } }, `settings.campaigns.${s.campaignId}.metadata_values.source`],
      [{ metadata_values: Object.fromEntries(Array.from({ length: 45 }, (_, i) => [`k${i}`, 'v'])) }, `settings.campaigns.${s.campaignId}.metadata`],
      [{ metadata: { first_name: 'same', email: 'same' } }, `settings.campaigns.${s.campaignId}.metadata`],
    ];
    for (const [rules, path] of cases) {
      const res = await s.connect(rules);
      expect(res.status).toBe(400);
      expect(res.body.errors).toContainEqual({ path, message: expect.any(String) });
    }
    expect(s.stripe.state.endpoints.size).toBe(0);
    const invalidKey = await s.connect({}, { credentials: { secret_key: 'sk_test_notarealkeyatall' } });
    expect(invalidKey.status).toBe(400);
    expect(invalidKey.body.errors).toEqual([{ path: 'credentials', message: 'rejected by stripe' }]);
  });

  it('deletes its webhook endpoint on disconnect, and the old inbound URL stops answering', async () => {
    const s = await env.scenario();
    const { body } = await s.connect({ min_total_spend: 5000, within_days: 30 });
    expect(s.stripe.state.endpoints.size).toBe(1);
    expect((await s.api('/v1/integrations/stripe', { method: 'DELETE' })).status).toBe(200);
    expect(s.stripe.state.endpoints.size).toBe(0);
    const res = await fetch(body.inbound_url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
  });
});
