import { hooksFor, post, v2Data, v2Payload } from '../../fakes/pipedrive';
import { addParticipant, createCampaign } from '../../support/fixtures';
import { connectPipedrive, participant, pushedIds, referralStatus, startWorld, waitFor, HOOK_TIMEOUT_MS, type PipedriveWorld } from './support';

describe("Pipedrive: the participant shows its deal's pipeline stage", () => {
  let w: PipedriveWorld;
  let referrer: any;
  let leadCampaign: any;

  beforeAll(async () => {
    w = await startWorld();
    leadCampaign = await createCampaign(w.t, { name: 'Leads first' });
    const res = await connectPipedrive(w, { pipeline_id: 2, qualified_stage_id: 13, unqualify_on_lost: true, create_fields: true, campaigns: { [w.campaign.id]: {}, [leadCampaign.id]: { send_as: 'lead' } } });
    expect(res.status).toBe(200);
    referrer = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'rita@example.com', first_name: 'Rita' });
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await w.close();
  }, HOOK_TIMEOUT_MS);

  const dealHook = () => hooksFor(w.pd.state, 'change', 'deal', '2.0')[0];
  /** The stage the API shows once it is `stageId` (ids are strings on the wire). */
  const stageShown = (id: string, stageId: number, status = 'open') =>
    waitFor(`participant ${id} in stage ${stageId} (${status})`, async () => {
      const stage = (await participant(w.t, id)).crm?.pipedrive?.stage;
      return stage && stage.stage_id === String(stageId) && stage.status === status ? stage : null;
    });
  const stageEvents = (dealId: number) =>
    w.t.hub.db.query<{ vendor_event_id: string; status: string; outcome: string }>(
      "SELECT vendor_event_id, status, outcome FROM vendor_events WHERE vendor = 'pipedrive' AND kind = 'stage' AND signal->'stage'->>'record_id' = $1 ORDER BY received_at, id",
      [String(dealId)],
    );
  const settled = (dealId: number, count: number) =>
    waitFor(`${count} stage events of deal ${dealId} settled`, async () => {
      const rows = await stageEvents(dealId);
      return rows.length >= count && rows.every((r) => r.status !== 'received') ? rows : null;
    });

  it('shows the first stage of a pushed deal at once, then each stage it moves to by name, and qualifies at the qualifying stage', async () => {
    const friend = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'fiona@example.com', first_name: 'Fiona', referrer_code: referrer.code });
    const ids = await pushedIds(w.t, friend.id, 'deal');
    const dealId = Number(ids.deal);
    const first = await stageShown(friend.id, 11);
    expect(first).toEqual({ object: 'deal', record_id: ids.deal, pipeline_id: '2', pipeline: 'Referrals', stage_id: '11', stage: 'New referral', status: 'open', changed_at: expect.any(String) });

    const [demo] = await w.pd.moveDeal(dealId, 12);
    expect(demo).toMatchObject({ status: 200, response: { received: 1, stored: 1 } });
    // Entered the stage when Pipedrive says the move happened.
    expect(await stageShown(friend.id, 12)).toMatchObject({ pipeline: 'Referrals', stage: 'Demo booked', changed_at: JSON.parse(demo.body).meta.timestamp });
    expect((await participant(w.t, friend.id)).referral_status).toBe('pending');

    // The qualifying stage: the rule's qualify signal and the stage signal, each stored once.
    const [customer] = await w.pd.moveDeal(dealId, 13);
    expect(customer).toMatchObject({ status: 200, response: { received: 2, stored: 2, duplicates: 0 } });
    await referralStatus(w.t, friend.id, 'qualified');
    const entered = await stageShown(friend.id, 13);
    expect(entered).toMatchObject({ stage: 'Customer', status: 'open' });

    // Won in the same stage: the status changes, the time it entered the stage does not.
    await w.pd.setDealStatus(dealId, 'won');
    const won = await stageShown(friend.id, 13, 'won');
    expect(won.changed_at).toBe(entered.changed_at);
    const events = await settled(dealId, 3);
    expect(events.map((e) => e.status)).toEqual(['applied', 'applied', 'applied']);
    expect(events[2].outcome).toContain('stage unchanged');
    // The stage reached the dashboard's source of truth, the participant list, too.
    const listed = await w.t.api(`/v1/participants?campaign_id=${w.campaign.id}&email=fiona@example.com`);
    expect(listed.body.data[0].crm.pipedrive.stage).toMatchObject({ stage: 'Customer', status: 'won' });
  });

  it('lets an older delivery that arrives late change nothing, and a replay store nothing', async () => {
    const friend = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'olga@example.com', first_name: 'Olga', referrer_code: referrer.code });
    const dealId = Number((await pushedIds(w.t, friend.id, 'deal')).deal);
    const [demo] = await w.pd.moveDeal(dealId, 12);
    const shown = await stageShown(friend.id, 12);

    // A move to "New referral" made a minute before arrives now: superseded, the stage stays.
    const deal = w.pd.state.deals.get(dealId)!;
    const stale = v2Payload(w.pd.state, dealHook(), 'deal', 'change', { ...v2Data('deal', deal), stage_id: 11 }, { stage_id: 12 }, { timestamp: new Date(Date.now() - 60_000).toISOString() });
    expect(await post(dealHook(), stale)).toMatchObject({ status: 200, response: { stored: 1 } });
    const events = await settled(dealId, 2);
    expect(events[1]).toMatchObject({ status: 'superseded' });
    expect((await participant(w.t, friend.id)).crm.pipedrive.stage).toEqual(shown);

    // Pipedrive retries the same delivery: a duplicate, nothing stored, nothing changed.
    expect(await post(dealHook(), demo.body)).toMatchObject({ status: 200, response: { received: 1, stored: 0, duplicates: 1 } });
    expect(await stageEvents(dealId)).toHaveLength(2);
    expect((await participant(w.t, friend.id)).crm.pipedrive.stage).toEqual(shown);
  });

  it("keeps the pushed deal's stage when another deal of the same person moves, and unqualifies a lost deal with its stage shown lost", async () => {
    const friend = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'nora@example.com', first_name: 'Nora', referrer_code: referrer.code });
    const ids = await pushedIds(w.t, friend.id, 'deal');
    await stageShown(friend.id, 11);
    // A salesperson opens an upsell deal for the same person in the Sales pipeline.
    const upsell = w.pd.addDeal({ title: 'Upsell', person_id: Number(ids.person), pipeline_id: 1, stage_id: 1 });
    await w.pd.moveDeal(upsell.id, 2);
    const [ignored] = await settled(upsell.id, 1);
    expect(ignored).toMatchObject({ status: 'ignored', outcome: expect.stringContaining(`not the deal ${ids.deal} stored for the participant`) });
    expect((await participant(w.t, friend.id)).crm.pipedrive.stage).toMatchObject({ record_id: ids.deal, stage_id: '11' });

    await w.pd.setDealStatus(Number(ids.deal), 'lost');
    await referralStatus(w.t, friend.id, 'unqualified');
    expect(await stageShown(friend.id, 11, 'lost')).toMatchObject({ stage: 'New referral', pipeline: 'Referrals' });
  });

  it('follows a lead we pushed into the deal it was converted to', async () => {
    const leadReferrer = await addParticipant(w.t, { campaign_id: leadCampaign.id, email: 'lars@example.com', first_name: 'Lars' });
    const friend = await addParticipant(w.t, { campaign_id: leadCampaign.id, email: 'lena@example.com', first_name: 'Lena', referrer_code: leadReferrer.code });
    const ids = await pushedIds(w.t, friend.id, 'lead');
    // Leads have no stage in Pipedrive.
    expect((await participant(w.t, friend.id)).crm.pipedrive.stage).toBeUndefined();
    const deal = w.pd.convertLead(ids.lead, 2, 11);
    await w.pd.moveDeal(deal.id, 12);
    expect(await stageShown(friend.id, 12)).toMatchObject({ object: 'deal', record_id: String(deal.id), pipeline: 'Referrals', stage: 'Demo booked' });
    // The lead's Referral code field came over to the deal, and names the participant.
    const [event] = await settled(deal.id, 1);
    expect(event.outcome).toContain('matched by referral_code');
  });

  it("describes crm.<vendor>.stage in the participant resource's OpenAPI schema", async () => {
    const doc = (await w.t.api('/openapi.json', { key: null })).body;
    const participantSchema = doc.paths['/v1/participants/{id}'].get.responses['200'].content['application/json'].schema;
    const stage = participantSchema.properties.crm.additionalProperties.properties.stage;
    expect(Object.keys(stage.properties)).toEqual(['object', 'record_id', 'pipeline_id', 'pipeline', 'stage_id', 'stage', 'status', 'changed_at']);
    expect(JSON.stringify(stage.properties.status)).toContain('"won"');
  });
});
