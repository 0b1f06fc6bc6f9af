import { startTestHub, type TestHub } from '../../support/hub';
import { app, appTester, connectionTo, createCampaign, createReferral, failureOf, instantTriggers, keyPaths, type InstantTrigger } from './harness';
import { asZapierRequest, startTargetServer } from './target-server';

/*
 * The whole REST-hook life of a Zap, with Zapier's runtime on one side and a real hub on the
 * other: subscribe → a real qualification → the hub's signed delivery reaches the target URL →
 * perform on that request → unsubscribe removes the hub webhook.
 */
describe('Referral Qualified as a REST hook', () => {
  let t: TestHub;
  let target: Awaited<ReturnType<typeof startTargetServer>>;
  let campaignId: string;
  let authData: ReturnType<typeof connectionTo>;
  const trigger = () => app.triggers.referral_qualified.operation;

  beforeAll(async () => {
    t = await startTestHub();
    target = await startTargetServer();
    authData = connectionTo(t);
    campaignId = (await createCampaign(t)).id;
  });
  afterAll(async () => {
    await target.close();
    await t.close();
  });

  it('subscribes, receives the real delivery, turns it into the event, and unsubscribes', async () => {
    const targetUrl = `${target.url}/hooks/catch/zap-1`;
    const subscribeData = await appTester(trigger().performSubscribe, { authData, targetUrl, inputData: { campaign_id: campaignId } });
    expect(subscribeData).toMatchObject({ object: 'webhook_endpoint', url: targetUrl, events: ['referral.qualified'] });

    const listed = await t.api('/v1/webhooks');
    expect(listed.body.data).toContainEqual(expect.objectContaining({ id: subscribeData.id, url: targetUrl, campaign_id: campaignId, enabled: true }));

    // A real qualification in the hub.
    const { friend, referrer } = await createReferral(t, campaignId, 'hook1');
    const qualified = await t.api('/v1/referrals/qualify', { body: { code: friend.code } });
    expect(qualified.status).toBe(200);

    const delivery = await target.waitFor('/hooks/catch/zap-1');
    expect(delivery.headers['referloop-event-type']).toBe('referral.qualified');
    const request = asZapierRequest(delivery);

    const events = await appTester(trigger().perform, { authData, subscribeData, ...request });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: delivery.headers['referloop-event-id'],
      type: 'referral.qualified',
      campaign_id: campaignId,
      data: { id: friend.id, referral_status: 'qualified', referrer: { id: referrer.id, code: referrer.code } },
    });

    // The sample a Zap user maps fields from has the keys the real delivery has.
    expect(keyPaths(trigger().sample)).toEqual(keyPaths(events[0]));

    await appTester(trigger().performUnsubscribe, { authData, subscribeData, targetUrl });
    const after = await t.api('/v1/webhooks');
    expect(after.body.data.map((w: { id: string }) => w.id)).not.toContain(subscribeData.id);
  });

  it('ignores a delivery whose body was changed after signing', async () => {
    const targetUrl = `${target.url}/hooks/catch/zap-2`;
    const subscribeData = await appTester(trigger().performSubscribe, { authData, targetUrl, inputData: {} });
    const { friend } = await createReferral(t, campaignId, 'hook2');
    await t.api('/v1/referrals/qualify', { body: { code: friend.code } });
    const delivery = await target.waitFor('/hooks/catch/zap-2');

    const forged = { ...delivery, body: delivery.body.replace(friend.email, 'attacker@example.com') };
    expect(forged.body).not.toBe(delivery.body);
    const message = await failureOf(appTester(trigger().perform, { authData, subscribeData, ...asZapierRequest(forged) }));
    expect(message).toMatch(/Referloop-Signature does not match/);

    // The untouched delivery still goes through.
    const events = await appTester(trigger().perform, { authData, subscribeData, ...asZapierRequest(delivery) });
    expect(events).toEqual([expect.objectContaining({ type: 'referral.qualified' })]);
    await appTester(trigger().performUnsubscribe, { authData, subscribeData });
  });

  it('turning a Zap off still works when its webhook was already deleted in Referloop', async () => {
    const subscribeData = await appTester(trigger().performSubscribe, { authData, targetUrl: `${target.url}/hooks/catch/zap-3`, inputData: {} });
    const deleted = await t.api(`/v1/webhooks/${subscribeData.id}`, { method: 'DELETE' });
    expect(deleted.status).toBe(204);
    await expect(appTester(trigger().performUnsubscribe, { authData, subscribeData })).resolves.toEqual({ id: subscribeData.id, deleted: false });
  });

  it('every instant trigger receives its own event type, only from the chosen campaign', async () => {
    const otherCampaignId = (await createCampaign(t, 'Other program')).id;
    const subscriptions = new Map<InstantTrigger, { id: string; secret?: string }>();
    for (const [key, type] of instantTriggers) {
      const subscribeData = await appTester(app.triggers[key].operation.performSubscribe, {
        authData,
        targetUrl: `${target.url}/hooks/all/${key}`,
        inputData: { campaign_id: campaignId },
      });
      expect(subscribeData).toMatchObject({ events: [type], campaign_id: campaignId, enabled: true });
      subscriptions.set(key, subscribeData);
    }

    // The other campaign's activity first: the hub relays events in order, so once this campaign's
    // deliveries are in, the other campaign's events were already passed over.
    await runTheLoop(t, otherCampaignId, 'all-other');
    const ours = await runTheLoop(t, campaignId, 'all');

    for (const [key, type] of instantTriggers) {
      const delivery = await target.waitFor(`/hooks/all/${key}`);
      const events = await appTester(app.triggers[key].operation.perform, { authData, subscribeData: subscriptions.get(key), ...asZapierRequest(delivery) });
      expect(events).toEqual([expect.objectContaining({ type, campaign_id: campaignId })]);
      expect(keyPaths(app.triggers[key].operation.sample)).toEqual(keyPaths(events[0]));
    }
    const qualifiedDelivery = await target.waitFor('/hooks/all/referral_qualified');
    expect(JSON.parse(qualifiedDelivery.body)).toMatchObject({ data: { id: ours.friend.id } });
    for (const request of target.caught.filter((r) => r.path.startsWith('/hooks/all/'))) {
      expect(JSON.parse(request.body)).toMatchObject({ campaign_id: campaignId });
    }

    // A delivery of another type is not this trigger's business.
    const other = await appTester(app.triggers.new_participant.operation.perform, { authData, ...asZapierRequest(qualifiedDelivery) });
    expect(other).toEqual([]);

    for (const [key] of instantTriggers) {
      await appTester(app.triggers[key].operation.performUnsubscribe, { authData, subscribeData: subscriptions.get(key) });
    }
    const left = await t.api('/v1/webhooks');
    const ids = [...subscriptions.values()].map((s) => s.id);
    expect(left.body.data.filter((w: { id: string }) => ids.includes(w.id))).toEqual([]);
  });

  it('refuses a request that is not a Referloop event', async () => {
    const message = await failureOf(appTester(trigger().perform, { authData, cleanedRequest: { hello: 'world' } }));
    expect(message).toBe('The request Zapier received is not a Referloop event delivery.');
  });
});

/** Every event a trigger listens to, in one campaign: sign-up, conversion, qualification, reward paid, reversal. */
async function runTheLoop(t: TestHub, campaignId: string, tag: string) {
  const { friend, referrer } = await createReferral(t, campaignId, tag);
  expect((await t.api('/v1/conversions', { body: { event: 'purchase', email: friend.email, campaign_id: campaignId, amount: 1500, currency: 'EUR' } })).status).toBe(201);
  const qualified = await t.api('/v1/referrals/qualify', { body: { code: friend.code } });
  const rewardId: string = qualified.body.rewards[0].id;
  expect((await t.api(`/v1/rewards/${rewardId}/approve`, { body: {} })).status).toBe(200);
  expect((await t.api(`/v1/rewards/${rewardId}/issue`, { body: {} })).status).toBe(200);
  expect((await t.api('/v1/referrals/unqualify', { body: { code: friend.code, reason: 'refund' } })).status).toBe(200);
  return { friend, referrer };
}
