import { verifyWebhookSignature } from '../../../core/src';
import { startTestHub, type TestHub } from '../../support/hub';
import { runnerEnv, runnerKinds } from '../jobs/runners';
import { eventually, startReceiver, type Receiver } from './receiver';

// Webhook backoff is 15 s doubling; scaled by 0.1 here: ~1.5 s, ~3 s … (±20 % jitter).
const SCALE = 0.1;

describe.each(runnerKinds())('webhook retries and disabling (%s runner)', (runner) => {
  let t: TestHub;
  let campaignId: string;
  const receivers: Receiver[] = [];
  let n = 0;

  const receiver = async (answer: Parameters<typeof startReceiver>[0]) => {
    const r = await startReceiver(answer);
    receivers.push(r);
    return r;
  };
  const subscribe = async (url: string) => (await t.api('/v1/webhooks', { body: { url, events: ['participant.created'] } })).body;
  const addParticipant = async () => (await t.api('/v1/participants', { body: { campaign_id: campaignId, email: `p${++n}@example.com` } })).body;
  const endpoint = async (id: string) => (await t.api(`/v1/webhooks/${id}`)).body;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  beforeAll(async () => {
    t = await startTestHub({ env: runnerEnv(runner), worker: { retryDelayScale: SCALE } });
    campaignId = (await t.api('/v1/campaigns', { body: { name: 'Retries', destination_url: 'https://shop.example.com/' } })).body.id;
  });
  afterEach(async () => {
    // One endpoint per test: unsubscribe them so later tests' events do not reach earlier receivers.
    const hooks = await t.api('/v1/webhooks?limit=100');
    for (const h of hooks.body.data) await t.api(`/v1/webhooks/${h.id}`, { method: 'DELETE' });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('retries a failing delivery with growing, jittered delays until it succeeds, logging each attempt', async () => {
    const r = await receiver((_req, i) => ({ status: i <= 2 ? 503 : 200 }));
    const hook = await subscribe(r.url);
    await addParticipant();
    await r.waitFor((all) => all.length >= 1);
    // Between tries the log says what happened and when the next try comes.
    const retrying = await eventually(async () => {
      const log = await t.api(`/v1/webhooks/${hook.id}/deliveries`);
      const d = log.body.data[0];
      return d?.status === 'retrying' && d.attempt >= 1 ? d : null;
    });
    expect(retrying).toMatchObject({ response_status: 503, error: 'HTTP 503' });
    expect(Date.parse(retrying.next_retry_at)).toBeGreaterThan(Date.parse(retrying.last_attempt_at));

    const all = await r.waitFor((got) => got.length >= 3, 20_000);
    expect(new Set(all.map((x) => x.headers['referloop-event-id'])).size).toBe(1);
    expect(new Set(all.map((x) => x.body)).size).toBe(1);
    for (const x of all) expect(verifyWebhookSignature(x.body, String(x.headers['referloop-signature']), hook.secret)).toBe(true);
    const gap1 = all[1].at - all[0].at;
    const gap2 = all[2].at - all[1].at;
    expect(gap1).toBeGreaterThanOrEqual(1500 * 0.8 - 50);
    expect(gap2).toBeGreaterThanOrEqual(3000 * 0.8 - 50);
    expect(gap2).toBeGreaterThan(gap1);

    const done = await eventually(async () => {
      const d = (await t.api(`/v1/webhooks/${hook.id}/deliveries`)).body.data[0];
      return d.status === 'succeeded' ? d : null;
    });
    expect(done).toMatchObject({ attempt: 3, response_status: 200, next_retry_at: null, error: null });
    expect((await endpoint(hook.id)).consecutive_failures).toBe(0);
  }, 40_000);

  it('disables the endpoint at once on 410 Gone and emits webhook_endpoint.disabled', async () => {
    const r = await receiver(() => ({ status: 410 }));
    const hook = await subscribe(r.url);
    await addParticipant();
    await r.waitFor((all) => all.length >= 1);
    const ep = await eventually(async () => {
      const e = await endpoint(hook.id);
      return e.enabled === false ? e : null;
    });
    expect(ep).toMatchObject({ disabled_reason: 'gone', consecutive_failures: 1 });
    const log = (await t.api(`/v1/webhooks/${hook.id}/deliveries`)).body.data;
    expect(log[0]).toMatchObject({ status: 'failed', response_status: 410, next_retry_at: null });
    const feed = await eventually(async () => (await t.api('/v1/events?type=webhook_endpoint.disabled')).body.data.find((e: any) => e.data.id === hook.id));
    expect(feed.data).toMatchObject({ id: hook.id, enabled: false, disabled_reason: 'gone' });
    expect(feed.data.secret).toBeUndefined();
    // Nothing more goes to a disabled endpoint: no retry, no new event.
    await addParticipant();
    await sleep(2000);
    expect(r.received).toHaveLength(1);
    // Redelivery is refused until the endpoint is enabled again.
    const again = await t.api(`/v1/webhooks/${hook.id}/deliveries/${log[0].id}/retry`, { method: 'POST' });
    expect(again.status).toBe(409);
  }, 30_000);

  it('disables the endpoint after 20 failed attempts in a row', async () => {
    const r = await receiver(() => ({ status: 500 }));
    const hook = await subscribe(r.url);
    for (let i = 0; i < 20; i++) await addParticipant();
    const ep = await eventually(async () => {
      const e = await endpoint(hook.id);
      return e.enabled === false ? e : null;
    }, 30_000);
    expect(ep.disabled_reason).toBe('too_many_failures');
    expect(ep.consecutive_failures).toBeGreaterThanOrEqual(20);
    const disabledEvents = (await t.api('/v1/events?type=webhook_endpoint.disabled')).body.data.filter((e: any) => e.data.id === hook.id);
    expect(disabledEvents).toHaveLength(1);
    // Deliveries still waiting for a retry are cancelled instead of sent.
    await eventually(async () => {
      const log = (await t.api(`/v1/webhooks/${hook.id}/deliveries?status=retrying`)).body.data;
      return log.length === 0;
    }, 20_000);
    const seen = r.received.length;
    await sleep(1500);
    expect(r.received.length).toBe(seen);
    // Re-enabling forgets the failures.
    const enabled = await t.api(`/v1/webhooks/${hook.id}`, { method: 'PATCH', body: { enabled: true } });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, consecutive_failures: 0 });
  }, 60_000);

  it('redelivers an event on request, with the same event id', async () => {
    const r = await receiver(() => ({ status: 200 }));
    const hook = await subscribe(r.url);
    await addParticipant();
    await r.waitFor((all) => all.length >= 1);
    const first = await eventually(async () => {
      const d = (await t.api(`/v1/webhooks/${hook.id}/deliveries`)).body.data[0];
      return d?.status === 'succeeded' ? d : null;
    });
    const again = await t.api(`/v1/webhooks/${hook.id}/deliveries/${first.id}/retry`, { method: 'POST' });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ event_id: first.event_id, retry_of: first.id, status: 'pending' });
    const all = await r.waitFor((got) => got.length >= 2);
    expect(all[1].headers['referloop-event-id']).toBe(all[0].headers['referloop-event-id']);
    expect(all[1].headers['referloop-delivery-id']).toBe(again.body.id);
    const missing = await t.api(`/v1/webhooks/${hook.id}/deliveries/dlv_01jd0000000000000000000000/retry`, { method: 'POST' });
    expect(missing.status).toBe(404);
  });
});
