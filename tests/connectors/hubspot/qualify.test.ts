import { pushBatchTiming } from '../../../core/src/integrations/push-batch';
import { hubspotV3Headers } from '../../fakes/toolkit';
import { hubspotEvent, startHubSpotEnv, waitFor, WORKFLOW_SECRET, type HubSpotEnv } from './support';

jest.setTimeout(60_000);

let env: HubSpotEnv;
beforeAll(async () => {
  env = await startHubSpotEnv();
});
afterAll(async () => {
  await env?.close();
});

const afterTest: Array<() => void> = [];
afterEach(() => afterTest.splice(0).forEach((undo) => undo()));

const statusOf = async (s: Awaited<ReturnType<HubSpotEnv['scenario']>>, id: string) => (await s.api(`/v1/participants/${id}`)).body.referral_status as string;

describe('HubSpot connector', () => {
  it('connects with a private app token: portal id as the account, referloop properties created, manual webhook setup described', async () => {
    const s = await env.scenario();
    const res = await s.connect();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ vendor: 'hubspot', status: 'connected', account: { id: '62515' }, webhooks: [] });
    expect(res.body.manual_webhooks.instructions).toContain(res.body.inbound_url);
    expect(JSON.stringify(res.body)).not.toContain(s.hs.token);
    expect(s.hs.store.groups.map((g) => g.name)).toContain('referloop');
    expect(s.hs.store.properties.filter((p) => p.groupName === 'referloop').map((p) => p.name).sort()).toEqual(['referral_code', 'referral_link', 'referral_status', 'referred_by_code', 'referred_by_email']);
    const bad = await s.connect({ qualify: { when: 'deal_stage', pipeline_id: 'default', stage_id: 'nope' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('settings.qualify.stage_id');
  });

  it('upserts each sign-up as a contact by email with every referral property, several sign-ups in one batch call', async () => {
    // A window wide enough that two sign-ups made one after the other share it even on a busy CI machine.
    const windowMs = pushBatchTiming.windowMs;
    pushBatchTiming.windowMs = 4000;
    afterTest.push(() => {
      pushBatchTiming.windowMs = windowMs;
    });
    const s = await env.scenario();
    await s.connect({ push_types: ['direct', 'referred'] });
    const { referrer, friend } = await s.referral('fred@example.com');
    const contactId = await s.contactOf(friend.id);
    await s.contactOf(referrer.id);
    const contact = s.hs.store.contacts.get(contactId);
    expect(contact?.properties).toMatchObject({
      email: 'fred@example.com',
      firstname: 'Fred',
      lastname: 'Friend',
      referral_code: friend.code,
      referral_link: friend.referral_link,
      referred_by_email: referrer.email,
      referred_by_code: referrer.code,
      referral_status: 'pending',
    });
    // Both sign-ups went out in one batch upsert keyed on email.
    const upserts = s.hs.requestsTo('POST /crm/v3/objects/contacts/batch/upsert');
    expect(upserts).toHaveLength(1);
    expect(upserts[0].body).toMatchObject({ inputs: expect.arrayContaining([expect.objectContaining({ idProperty: 'email', id: 'fred@example.com' })]) });
    const participant = await s.api(`/v1/participants/${friend.id}`);
    expect(participant.body.crm.hubspot.ids).toEqual({ contact: contactId });
  });

  it('qualifies and rewards when a signed v3 webhook says the contact reached customer; a replay changes nothing twice', async () => {
    const s = await env.scenario();
    await s.connect();
    const { referrer, friend } = await s.referral();
    const contactId = await s.contactOf(friend.id);
    const events = [
      hubspotEvent({ type: 'contact.propertyChange', objectId: contactId, portalId: s.hs.store.portalId, propertyName: 'lifecyclestage', propertyValue: 'customer', eventId: 77 }),
      hubspotEvent({ type: 'contact.propertyChange', objectId: contactId, portalId: s.hs.store.portalId, propertyName: 'firstname', propertyValue: 'Frederic', eventId: 78 }),
    ];
    const { body, headers } = s.hs.signedDelivery(await s.inboundUrl(), events);
    const first = await s.deliver(body, headers);
    expect(first.status).toBe(200);
    // The qualify signal and the contact's lifecycle stage (stage-deals.test.ts); the firstname change means nothing.
    expect(first.body).toMatchObject({ received: 2, stored: 2 });
    await waitFor(async () => (await statusOf(s, friend.id)) === 'qualified', 'qualified');
    const rewards = await waitFor(async () => {
      const r = await s.api('/v1/rewards');
      return r.body.data.length > 0 ? r.body.data : null;
    }, 'reward');
    expect(rewards).toEqual([expect.objectContaining({ participant_id: referrer.id, amount: 1000 })]);

    // HubSpot retries the same batch (fresh timestamp, same events): stored once, applied once.
    const again = s.hs.signedDelivery(await s.inboundUrl(), events);
    const replay = await s.deliver(again.body, again.headers);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ stored: 0, duplicates: 2 });
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.api('/v1/rewards')).body.data).toHaveLength(1);
  });

  it('refuses a bad or stale signature with 401 and changes nothing', async () => {
    const s = await env.scenario();
    await s.connect();
    const { friend } = await s.referral();
    const contactId = await s.contactOf(friend.id);
    const url = await s.inboundUrl();
    const events = [hubspotEvent({ type: 'contact.propertyChange', objectId: contactId, portalId: s.hs.store.portalId, propertyName: 'lifecyclestage', propertyValue: 'customer' })];
    const forged = s.hs.signedDelivery(url, events, { secret: 'not-the-client-secret' });
    expect((await s.deliver(forged.body, forged.headers)).status).toBe(401);
    const stale = s.hs.signedDelivery(url, events, { timestampMs: Date.now() - 6 * 60_000 });
    expect((await s.deliver(stale.body, stale.headers)).status).toBe(401);
    const tampered = s.hs.signedDelivery(url, events);
    expect((await s.deliver(tampered.body.replace('customer', 'evangelist'), tampered.headers)).status).toBe(401);
    const unsigned = await s.deliver(JSON.stringify(events), { 'content-type': 'application/json' });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await statusOf(s, friend.id)).toBe('pending');
    expect((await s.api('/v1/rewards')).body.data).toHaveLength(0);
  });

  it('qualifies when a deal associated with the contact enters closedwon (contacts read through associations v4)', async () => {
    const s = await env.scenario();
    await s.connect({ qualify: { when: 'deal_stage', pipeline_id: 'default', stage_id: 'closedwon' }, unqualify: { when: 'deal_stage', pipeline_id: 'default', stage_id: 'closedlost' } });
    const { friend } = await s.referral();
    const contactId = await s.contactOf(friend.id);
    // A salesperson makes a deal in HubSpot and associates the contact.
    const deal = s.hs.store.writeDeal(null, { dealname: 'Big one', pipeline: 'default', dealstage: 'appointmentscheduled' }, [contactId]);
    s.hs.store.writeDeal(deal.id, { dealstage: 'closedwon' });
    const { body, headers } = s.hs.signedDelivery(await s.inboundUrl(), [
      hubspotEvent({ type: 'deal.propertyChange', objectId: deal.id, portalId: s.hs.store.portalId, propertyName: 'dealstage', propertyValue: 'closedwon' }),
    ]);
    expect((await s.deliver(body, headers)).status).toBe(200);
    await waitFor(async () => (await statusOf(s, friend.id)) === 'qualified', 'qualified through the deal');
    expect(s.hs.requestsTo('POST /crm/v4/associations/:from/:to/batch/read').map((r) => r.path)).toContain('/crm/v4/associations/deals/contacts/batch/read');
  });

  it('qualifies through a workflow "Send a webhook" action carrying the per-integration secret', async () => {
    const s = await env.scenario();
    await s.connect({ qualify: { when: 'lead_status', value: 'CONNECTED' } });
    const { friend } = await s.referral();
    const contactId = await s.contactOf(friend.id);
    const record = { vid: Number(contactId), 'portal-id': s.hs.store.portalId, properties: { email: { value: friend.email }, hs_lead_status: { value: 'CONNECTED' }, lifecyclestage: { value: 'lead' } } };
    const wrong = await s.deliver(JSON.stringify(record), { 'content-type': 'application/json', 'x-referloop-workflow-secret': 'wrong-secret-0123456789' });
    expect(wrong.status).toBe(401);
    const ok = await s.deliver(JSON.stringify(record), { 'content-type': 'application/json', 'x-referloop-workflow-secret': WORKFLOW_SECRET });
    expect(ok.status).toBe(200);
    await waitFor(async () => (await statusOf(s, friend.id)) === 'qualified', 'qualified by the workflow');
    // The workflow fires again for the same record: nothing new (neither the qualification nor the lifecycle stage it reports).
    const again = await s.deliver(JSON.stringify(record), { 'content-type': 'application/json', 'x-referloop-workflow-secret': WORKFLOW_SECRET });
    expect(again.body).toMatchObject({ stored: 0, duplicates: 2 });
  });

  it('qualifies by polling when the contact reaches a later stage (evangelist counts for customer)', async () => {
    const s = await env.scenario();
    await s.connect({ polling: { enabled: true, interval_seconds: 1 } });
    const { friend } = await s.referral();
    const contactId = await s.contactOf(friend.id);
    // The first poll only sets the cursor; changes after it are found.
    await waitFor(() => s.hs.requests.some((r) => r.path === '/account-info/v3/details') && s.hs.requestsTo('POST /crm/v3/objects/contacts/search').length >= 0, 'connected');
    await new Promise((r) => setTimeout(r, 1500));
    s.hs.store.writeContact(contactId, { lifecyclestage: 'evangelist' });
    await waitFor(async () => (await statusOf(s, friend.id)) === 'qualified', 'qualified by polling', 20_000);
    expect(s.hs.requestsTo('POST /crm/v3/objects/contacts/search').length).toBeGreaterThan(0);
  });

  it('routes a public app delivery by portal id to the workspace connected to that portal, verified by its own secret', async () => {
    const a = await env.scenario();
    const b = await env.scenario();
    b.hs.store.portalId = 99001;
    await a.connect();
    await b.connect();
    const { friend } = await b.referral();
    const contactId = await b.contactOf(friend.id);
    // The app's one target URL is workspace A's; the event is about portal 99001 (workspace B).
    const url = await a.inboundUrl();
    const events = [hubspotEvent({ type: 'contact.propertyChange', objectId: contactId, portalId: 99001, propertyName: 'lifecyclestage', propertyValue: 'customer' })];
    const body = JSON.stringify(events);
    // Signed with B's app secret (A's fake has another one): A cannot verify it.
    const refused = await a.deliver(body, { 'content-type': 'application/json', ...hubspotV3Headers(a.hs.oauth.clientSecret, 'POST', url, body) });
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ stored: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(await statusOf(b, friend.id)).toBe('pending');
    // Installed from the same public app (same client secret): routed to B and applied there.
    await b.connect({}, { client_secret: a.hs.oauth.clientSecret });
    const routed = await a.deliver(body, { 'content-type': 'application/json', ...hubspotV3Headers(a.hs.oauth.clientSecret, 'POST', url, body) });
    expect(routed.body).toMatchObject({ stored: 2 });
    await waitFor(async () => (await statusOf(b, friend.id)) === 'qualified', 'qualified in the portal workspace');
  });
});
