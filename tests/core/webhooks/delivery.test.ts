import { verifyWebhookSignature } from '../../../core/src';
import { startTestHub, type TestHub } from '../../support/hub';
import { hubMatrix } from '../jobs/runners';
import { startReceiver, eventually, type Receiver } from './receiver';

describe.each(hubMatrix())('webhook deliveries ($label)', ({ options }) => {
  let t: TestHub;
  let receiver: Receiver;
  let campaignId: string;

  beforeAll(async () => {
    t = await startTestHub(options);
    receiver = await startReceiver();
    const c = await t.api('/v1/campaigns', { body: { name: 'Friends', destination_url: 'https://shop.example.com/' } });
    campaignId = c.body.id;
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('delivers a signed envelope for a subscribed event, with its id and type in headers', async () => {
    const hook = await t.api('/v1/webhooks', { body: { url: receiver.url, events: ['participant.created'] } });
    expect(hook.status).toBe(201);
    expect(hook.body.secret).toMatch(/^whsec_/);
    const p = await t.api('/v1/participants', { body: { campaign_id: campaignId, email: 'ann@example.com', first_name: 'Ann' } });
    const [got] = await receiver.waitFor((all) => all.some((r) => r.json?.data?.id === p.body.id));
    expect(got.headers['content-type']).toBe('application/json');
    expect(got.headers['referloop-event-type']).toBe('participant.created');
    expect(got.headers['referloop-event-id']).toBe(got.json.id);
    expect(got.json).toMatchObject({ type: 'participant.created', workspace_id: t.workspaceId, campaign_id: campaignId, data: { id: p.body.id, email: 'ann@example.com' } });
    expect(verifyWebhookSignature(got.body, String(got.headers['referloop-signature']), hook.body.secret)).toBe(true);
    const log = await eventually(async () => {
      const res = await t.api(`/v1/webhooks/${hook.body.id}/deliveries`);
      return res.body.data[0]?.status === 'succeeded' ? res.body : null;
    });
    expect(log.data[0]).toMatchObject({ event_id: got.json.id, event_type: 'participant.created', status: 'succeeded', attempt: 1, response_status: 200, next_retry_at: null });
    expect(typeof log.data[0].duration_ms).toBe('number');
    // The feed lists the same envelope.
    const feed = await t.api(`/v1/events?type=participant.created`);
    expect(feed.body.data[0]).toEqual(got.json);
  });

  it('sends each endpoint only the event types and campaign it subscribed to', async () => {
    const other = (await t.api('/v1/campaigns', { body: { name: 'Other', destination_url: 'https://shop.example.com/' } })).body.id;
    const all = await startReceiver();
    const oneCampaign = await startReceiver();
    const qualifiedOnly = await startReceiver();
    try {
      await t.api('/v1/webhooks', { body: { url: all.url, events: ['*'] } });
      await t.api('/v1/webhooks', { body: { url: oneCampaign.url, events: ['participant.created'], campaign_id: other } });
      await t.api('/v1/webhooks', { body: { url: qualifiedOnly.url, events: ['referral.qualified'] } });
      const ref = (await t.api('/v1/participants', { body: { campaign_id: campaignId, email: 'ref@example.com' } })).body;
      const friend = (await t.api('/v1/participants', { body: { campaign_id: campaignId, email: 'friend@example.com', referrer_code: ref.code } })).body;
      await t.api('/v1/referrals/qualify', { body: { code: friend.code } });
      const elsewhere = (await t.api('/v1/participants', { body: { campaign_id: other, email: 'else@example.com' } })).body;
      await all.waitFor((got) => got.some((r) => r.json?.data?.id === elsewhere.id));
      await qualifiedOnly.waitFor((got) => got.length >= 1);
      await oneCampaign.waitFor((got) => got.length >= 1);
      await new Promise((r) => setTimeout(r, 500));
      expect(all.received.map((r) => r.json.type).sort()).toEqual(
        ['participant.created', 'participant.created', 'participant.created', 'referral.created', 'referral.qualified'].sort(),
      );
      expect(oneCampaign.received.map((r) => r.json.data.id)).toEqual([elsewhere.id]);
      expect(qualifiedOnly.received.map((r) => [r.json.type, r.json.data.id])).toEqual([['referral.qualified', friend.id]]);
    } finally {
      for (const h of (await t.api('/v1/webhooks?limit=100')).body.data) {
        if ([all.url, oneCampaign.url, qualifiedOnly.url].includes(h.url)) await t.api(`/v1/webhooks/${h.id}`, { method: 'DELETE' });
      }
      await Promise.all([all.close(), oneCampaign.close(), qualifiedOnly.close()]);
    }
  });

  it('manages subscriptions: list, get, patch, delete; the secret is shown only at creation', async () => {
    const created = await t.api('/v1/webhooks', { body: { url: receiver.url, events: ['reward.created'], description: 'Zap 1' } });
    const id = created.body.id;
    const got = await t.api(`/v1/webhooks/${id}`);
    expect(got.body).toMatchObject({ id, object: 'webhook_endpoint', url: receiver.url, events: ['reward.created'], description: 'Zap 1', enabled: true });
    expect(got.body.secret).toBeUndefined();
    expect((await t.api('/v1/webhooks')).body.data.map((h: any) => h.id)).toContain(id);
    const patched = await t.api(`/v1/webhooks/${id}`, { method: 'PATCH', body: { events: ['reward.issued', 'reward.approved'], enabled: false } });
    expect(patched.body).toMatchObject({ events: ['reward.issued', 'reward.approved'], enabled: false, disabled_reason: 'manual' });
    expect((await t.api(`/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.api(`/v1/webhooks/${id}`)).status).toBe(404);
    expect((await t.api(`/v1/webhooks/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('refuses bad subscriptions with a problem naming the field', async () => {
    const badEvent = await t.api('/v1/webhooks', { body: { url: receiver.url, events: ['participant.created', 'nope.happened'] } });
    expect(badEvent.status).toBe(400);
    expect(badEvent.body.errors[0].path).toBe('events.1');
    const noEvents = await t.api('/v1/webhooks', { body: { url: receiver.url, events: [] } });
    expect(noEvents.body.errors[0].path).toBe('events');
    const badUrl = await t.api('/v1/webhooks', { body: { url: 'not a url', events: ['*'] } });
    expect(badUrl.body.errors[0].path).toBe('url');
    const badCampaign = await t.api('/v1/webhooks', { body: { url: receiver.url, events: ['*'], campaign_id: 'cmp_nope' } });
    expect(badCampaign.status).toBe(400);
    expect(badCampaign.body.errors[0].path).toBe('campaign_id');
  });

  it("keeps workspaces apart: another workspace's key cannot see or change an endpoint", async () => {
    const mine = (await t.api('/v1/webhooks', { body: { url: receiver.url, events: ['reward.created'] } })).body;
    const other = await t.newWorkspace();
    expect((await t.api(`/v1/webhooks/${mine.id}`, { key: other.secretKey })).status).toBe(404);
    expect((await t.api(`/v1/webhooks/${mine.id}`, { method: 'DELETE', key: other.secretKey })).status).toBe(404);
    expect((await t.api(`/v1/webhooks/${mine.id}/deliveries`, { key: other.secretKey })).status).toBe(404);
    expect((await t.api('/v1/webhooks', { key: other.secretKey })).body.data).toEqual([]);
    await t.api(`/v1/webhooks/${mine.id}`, { method: 'DELETE' });
  });
});
