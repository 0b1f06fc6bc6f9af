import { startTestHub, type TestHub } from '../../support/hub';
import { app, appTester, connectionTo, createCampaign, createReferral, failureOf, keyPaths } from './harness';
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

  it('refuses a request that is not a Referloop event', async () => {
    const message = await failureOf(appTester(trigger().perform, { authData, cleanedRequest: { hello: 'world' } }));
    expect(message).toBe('The request Zapier received is not a Referloop event delivery.');
  });
});
