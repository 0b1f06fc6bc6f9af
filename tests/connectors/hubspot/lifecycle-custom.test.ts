import { hubspotEvent, startHubSpotEnv, waitFor, type HubSpotEnv } from './support';

jest.setTimeout(60_000);

let env: HubSpotEnv;
beforeAll(async () => {
  env = await startHubSpotEnv();
});
afterAll(async () => {
  await env?.close();
});

describe('HubSpot lifecycle stages of the account', () => {
  it('qualifies on a custom lifecycle stage, measuring "reaches" on the account’s own order', async () => {
    const s = await env.scenario();
    // A portal with its own "Trial" stage between Opportunity and Customer (HubSpot ids custom stages by number).
    const lifecycle = s.hs.store.properties.find((p) => p.name === 'lifecyclestage');
    if (!lifecycle) throw new Error('the fake portal has no lifecyclestage property');
    lifecycle.options.splice(5, 0, { value: '1029384756', label: 'Trial', description: '', displayOrder: 5, hidden: false });
    lifecycle.options.forEach((o, i) => (o.displayOrder = i));

    const unknown = await s.connect({ qualify: { when: 'lifecycle_stage', stage: 'beta' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ path: 'settings.qualify.stage', message: expect.stringContaining("no lifecycle stage 'beta'") });

    const res = await s.connect({ qualify: { when: 'lifecycle_stage', stage: '1029384756' } });
    expect(res.status).toBe(200);
    expect(res.body.settings.lifecycle_order).toEqual(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', '1029384756', 'customer', 'evangelist', 'other']);

    const early = await s.referral();
    const late = await s.referral();
    const [earlyContact, lateContact] = [await s.contactOf(early.friend.id), await s.contactOf(late.friend.id)];
    const change = (objectId: string, value: string, eventId: number) =>
      hubspotEvent({ type: 'contact.propertyChange', objectId, portalId: s.hs.store.portalId, propertyName: 'lifecyclestage', propertyValue: value, eventId });
    const { body, headers } = s.hs.signedDelivery(await s.inboundUrl(), [change(earlyContact, 'opportunity', 501), change(lateContact, 'customer', 502)]);
    expect((await s.deliver(body, headers)).status).toBe(200);
    // Customer comes after Trial in this portal: it reaches it. Opportunity comes before: it does not.
    await waitFor(async () => (await s.api(`/v1/participants/${late.friend.id}`)).body.referral_status === 'qualified', 'the later stage qualifies');
    await waitFor(async () => {
      const [open] = await env.t.hub.db.query<{ n: number }>("SELECT count(*)::int AS n FROM vendor_events WHERE vendor = 'hubspot' AND status = 'received'");
      return open.n === 0;
    }, 'every event applied');
    expect((await s.api(`/v1/participants/${early.friend.id}`)).body.referral_status).toBe('pending');
  });
});
