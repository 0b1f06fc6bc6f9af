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
});
