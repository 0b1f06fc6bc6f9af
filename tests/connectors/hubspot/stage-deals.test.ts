import { hubspotEvent, startHubSpotEnv, waitFor, type HubSpotEnv, type HubSpotScenario } from './support';

jest.setTimeout(60_000);

let env: HubSpotEnv;
beforeAll(async () => {
  env = await startHubSpotEnv();
});
afterAll(async () => {
  await env?.close();
});

const dealRules = { deal: { pipeline_id: 'default', stage_id: 'appointmentscheduled' }, qualify: { when: 'deal_stage', pipeline_id: 'default', stage_id: 'closedwon' } };

/** The participant's HubSpot stage as the API shows it, once `accept` says it is the one awaited. */
async function stageShown(s: HubSpotScenario, id: string, accept: (stage: any) => boolean, what: string) {
  return waitFor(async () => {
    const stage = (await s.api(`/v1/participants/${id}`)).body.crm?.hubspot?.stage;
    return stage && accept(stage) ? stage : null;
  }, what);
}

/** A signed webhook delivery of one property change, as HubSpot posts it. */
async function deliverChange(s: HubSpotScenario, type: 'deal.propertyChange' | 'contact.propertyChange', objectId: string, propertyName: string, propertyValue: string, opts: { occurredAt?: number; eventId?: number } = {}) {
  const { body, headers } = s.hs.signedDelivery(await s.inboundUrl(), [hubspotEvent({ type, objectId, portalId: s.hs.store.portalId, propertyName, propertyValue, ...opts })]);
  const res = await s.deliver(body, headers);
  expect(res.status).toBe(200);
  return { res, body, headers };
}

const stageEvents = (s: HubSpotScenario) =>
  s.t.hub.db.query<{ status: string; outcome: string }>("SELECT status, outcome FROM vendor_events WHERE workspace_id = $1 AND kind = 'stage' ORDER BY received_at, id", [s.workspaceId]);
const settled = (s: HubSpotScenario, count: number) =>
  waitFor(async () => {
    const rows = await stageEvents(s);
    return rows.length >= count && rows.every((r) => r.status !== 'received') ? rows : null;
  }, `${count} stage events settled`);

describe("HubSpot: the participant shows its deal's stage, or its contact's lifecycle stage", () => {
  it('shows the first stage of the deal made on push, each stage it moves to by name, and qualifies at closed won', async () => {
    const s = await env.scenario();
    expect((await s.connect(dealRules)).status).toBe(200);
    const { friend } = await s.referral();
    const pushed = await stageShown(s, friend.id, (st) => st.stage_id === 'appointmentscheduled', 'the first stage');
    const dealId = (await s.api(`/v1/participants/${friend.id}`)).body.crm.hubspot.ids.deal;
    expect(pushed).toEqual({ object: 'deal', record_id: dealId, pipeline_id: 'default', pipeline: 'Sales Pipeline', stage_id: 'appointmentscheduled', stage: 'Appointment Scheduled', status: 'open', changed_at: expect.any(String) });

    const movedAt = Date.now();
    s.hs.store.writeDeal(dealId, { dealstage: 'qualifiedtobuy' });
    await deliverChange(s, 'deal.propertyChange', dealId, 'dealstage', 'qualifiedtobuy', { occurredAt: movedAt });
    expect(await stageShown(s, friend.id, (st) => st.stage_id === 'qualifiedtobuy', 'qualified to buy')).toMatchObject({ stage: 'Qualified To Buy', status: 'open', changed_at: new Date(movedAt).toISOString() });

    s.hs.store.writeDeal(dealId, { dealstage: 'closedwon' });
    const won = await deliverChange(s, 'deal.propertyChange', dealId, 'dealstage', 'closedwon');
    // The rule's qualify signal and the stage, each stored once.
    expect(won.res.body).toMatchObject({ received: 2, stored: 2 });
    await waitFor(async () => (await s.api(`/v1/participants/${friend.id}`)).body.referral_status === 'qualified', 'qualified');
    expect(await stageShown(s, friend.id, (st) => st.stage_id === 'closedwon', 'closed won')).toMatchObject({ pipeline: 'Sales Pipeline', stage: 'Closed Won', status: 'won' });

    // HubSpot retries the same batch: duplicates, nothing changes.
    const again = s.hs.signedDelivery(await s.inboundUrl(), JSON.parse(won.body));
    expect((await s.deliver(again.body, again.headers)).body).toMatchObject({ received: 2, stored: 0, duplicates: 2 });
  });

  it('lets an older stage change that arrives late change nothing, and a contact lifecycle change not replace a deal stage', async () => {
    const s = await env.scenario();
    await s.connect(dealRules);
    const { friend } = await s.referral();
    const contactId = await s.contactOf(friend.id);
    await stageShown(s, friend.id, (st) => st.stage_id === 'appointmentscheduled', 'the first stage');
    const dealId = (await s.api(`/v1/participants/${friend.id}`)).body.crm.hubspot.ids.deal;

    await deliverChange(s, 'deal.propertyChange', dealId, 'dealstage', 'contractsent');
    const shown = await stageShown(s, friend.id, (st) => st.stage_id === 'contractsent', 'contract sent');
    await deliverChange(s, 'deal.propertyChange', dealId, 'dealstage', 'closedlost', { occurredAt: Date.now() - 60_000 });
    await deliverChange(s, 'contact.propertyChange', contactId, 'lifecyclestage', 'opportunity');
    const events = await settled(s, 3);
    expect(events.map((e) => e.status)).toEqual(['applied', 'superseded', 'ignored']);
    expect(events[2].outcome).toContain('the deal stage is shown');
    expect((await s.api(`/v1/participants/${friend.id}`)).body.crm.hubspot.stage).toEqual(shown);
  });

  it("shows the contact's lifecycle stage by its label, until a deal associated with the contact shows its stage", async () => {
    const s = await env.scenario();
    await s.connect();
    const { friend } = await s.referral();
    const contactId = await s.contactOf(friend.id);
    await deliverChange(s, 'contact.propertyChange', contactId, 'lifecyclestage', 'marketingqualifiedlead');
    expect(await stageShown(s, friend.id, (st) => st.stage_id === 'marketingqualifiedlead', 'MQL')).toEqual({
      object: 'contact',
      record_id: contactId,
      pipeline_id: null,
      pipeline: null,
      stage_id: 'marketingqualifiedlead',
      stage: 'Marketing Qualified Lead',
      status: null,
      changed_at: expect.any(String),
    });
    await deliverChange(s, 'contact.propertyChange', contactId, 'lifecyclestage', 'customer');
    await waitFor(async () => (await s.api(`/v1/participants/${friend.id}`)).body.referral_status === 'qualified', 'qualified on lifecycle');
    await stageShown(s, friend.id, (st) => st.stage === 'Customer', 'customer');

    // A salesperson makes a deal for the contact: its stage (found through the association) is shown from now on.
    const deal = s.hs.store.writeDeal(null, { dealname: 'Follow-up', pipeline: 'default', dealstage: 'presentationscheduled' }, [contactId]);
    await deliverChange(s, 'deal.propertyChange', deal.id, 'dealstage', 'presentationscheduled');
    expect(await stageShown(s, friend.id, (st) => st.object === 'deal', 'the deal stage')).toMatchObject({ record_id: deal.id, stage: 'Presentation Scheduled', pipeline: 'Sales Pipeline' });
    const [, , dealEvent] = await settled(s, 3);
    expect(dealEvent.outcome).toContain('matched by record');
  });

  it('shows stages found by polling, deals made on push included', async () => {
    const s = await env.scenario();
    await s.connect({ ...dealRules, polling: { enabled: true, interval_seconds: 1 } });
    const { friend } = await s.referral();
    await stageShown(s, friend.id, (st) => st.stage_id === 'appointmentscheduled', 'the first stage');
    const dealId = (await s.api(`/v1/participants/${friend.id}`)).body.crm.hubspot.ids.deal;
    // The first poll only sets the cursor; changes after it are found.
    await new Promise((r) => setTimeout(r, 1500));
    s.hs.store.writeDeal(dealId, { dealstage: 'decisionmakerboughtin' });
    expect(await stageShown(s, friend.id, (st) => st.stage_id === 'decisionmakerboughtin', 'polled stage')).toMatchObject({ stage: 'Decision Maker Bought-In', status: 'open' });
    expect(s.hs.requestsTo('POST /crm/v3/objects/deals/search').length).toBeGreaterThan(0);
  });
});
