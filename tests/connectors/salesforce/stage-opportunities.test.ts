import { connectSalesforce, participant, pushedIds, referral, referralSettings, referralStatus, startWorld, waitFor, type SalesforceWorld } from './support';

const OPPORTUNITY = '/data/OpportunityChangeEvent';

/** The participant's Salesforce stage as the API shows it, once it is `stage`. */
const stageShown = (w: SalesforceWorld, id: string, stage: string) =>
  waitFor(`participant ${id} at '${stage}'`, async () => {
    const shown = (await participant(w.t, id)).crm?.salesforce?.stage;
    return shown && shown.stage === stage ? shown : null;
  });

const stageEvents = (w: SalesforceWorld) =>
  w.t.hub.db.query<{ vendor_event_id: string; status: string; outcome: string }>("SELECT vendor_event_id, status, outcome FROM vendor_events WHERE vendor = 'salesforce' AND kind = 'stage' ORDER BY received_at, id");

describe('Salesforce Change Data Capture: the participant shows the stage of the opportunity its lead became', () => {
  let w: SalesforceWorld;
  beforeAll(async () => {
    w = await startWorld();
    const res = await connectSalesforce(w, { ...referralSettings, qualified_opportunity_stage: 'Closed Won' });
    expect(res.status).toBe(200);
    await waitFor('stream subscribed', () => [...w.sf.cometd.active.values()].some((channels) => channels.has(OPPORTUNITY)));
  });
  afterAll(async () => {
    await w.close();
  });

  it('shows each StageName the opportunity reaches, ignores an older change that arrives late and a replayed one, and qualifies at Closed Won', async () => {
    const { friend } = await referral(w, 'stage-fred@example.com');
    const { lead } = await pushedIds(w.t, friend.id);
    const { opportunityId } = w.sf.org.convertLead(lead, 'Prospecting');
    const prospecting = await stageShown(w, friend.id, 'Prospecting');
    expect(prospecting).toEqual({ object: 'opportunity', record_id: opportunityId, pipeline_id: null, pipeline: null, stage_id: 'Prospecting', stage: 'Prospecting', status: null, changed_at: expect.any(String) });

    w.sf.org.setOpportunityStage(opportunityId, 'Negotiation/Review');
    const negotiation = await stageShown(w, friend.id, 'Negotiation/Review');
    const commit = w.sf.cometd.events.filter((e) => e.channel === OPPORTUNITY).at(-1)!;
    expect(negotiation.changed_at).toBe(new Date(Number((commit.data.payload.ChangeEventHeader as { commitTimestamp: number }).commitTimestamp)).toISOString());
    expect((await participant(w.t, friend.id)).referral_status).toBe('pending');

    // A change committed a minute ago reaches us only now: superseded, the newer stage stays.
    const clock = w.sf.org.now;
    w.sf.org.now = () => Date.now() - 60_000;
    w.sf.org.setOpportunityStage(opportunityId, 'Qualification');
    w.sf.org.now = clock;
    await waitFor('late change settled', async () => {
      const rows = await stageEvents(w);
      return rows.length === 3 && rows.every((r) => r.status !== 'received') ? rows : null;
    });
    expect((await stageEvents(w))[2]).toMatchObject({ status: 'superseded' });
    expect((await participant(w.t, friend.id)).crm.salesforce.stage).toEqual(negotiation);

    // Salesforce delivers the Negotiation/Review event again: stored once, nothing changes.
    w.sf.cometd.redeliver(commit.replayId);
    await waitFor('replay received', async () => {
      const rows = await w.t.hub.db.query<{ value: string }>("SELECT value FROM install_settings WHERE key LIKE 'integration:%:stream_cursor:%'");
      return rows.some((r) => JSON.parse(r.value)[OPPORTUNITY] === commit.replayId);
    });
    expect(await stageEvents(w)).toHaveLength(3);
    expect((await participant(w.t, friend.id)).crm.salesforce.stage).toEqual(negotiation);

    w.sf.org.setOpportunityStage(opportunityId, 'Closed Won');
    await referralStatus(w.t, friend.id, 'qualified');
    expect(await stageShown(w, friend.id, 'Closed Won')).toMatchObject({ object: 'opportunity', record_id: opportunityId });
    const events = await stageEvents(w);
    expect(events.at(-1)?.outcome).toContain('matched by record');
  });
});

describe('Salesforce polling: the participant shows its Lead Status, then its opportunity stage', () => {
  let w: SalesforceWorld;
  beforeAll(async () => {
    w = await startWorld();
    // No lead rule: pushed Leads are polled for their Status all the same.
    const res = await connectSalesforce(w, { ...referralSettings, detection: 'polling', poll_interval_seconds: 1, qualified_lead_status: null, qualified_opportunity_stage: 'Closed Won' });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await w.close();
  });

  it('shows each Lead Status a poll finds, and the opportunity stage over the lead status once converted', async () => {
    const { friend } = await referral(w, 'poll-stage@example.com');
    const { lead } = await pushedIds(w.t, friend.id);
    expect(await stageShown(w, friend.id, 'Open - Not Contacted')).toMatchObject({ object: 'lead', record_id: lead, stage_id: 'Open - Not Contacted' });
    // SystemModstamp counts whole seconds, and a poll sees a record's last version in a second: one change a second.
    const nextSecond = () => new Promise((r) => setTimeout(r, 1_100));
    await nextSecond();
    w.sf.org.setLeadStatus(lead, 'Working - Contacted');
    await stageShown(w, friend.id, 'Working - Contacted');
    await nextSecond();
    const { opportunityId } = w.sf.org.convertLead(lead, 'Qualification');
    expect(await stageShown(w, friend.id, 'Qualification')).toMatchObject({ object: 'opportunity', record_id: opportunityId });
    // The lead's own change to Closed - Converted, polled too, does not replace the opportunity's stage.
    await waitFor('converted lead status settled', async () => {
      const rows = await stageEvents(w);
      const converted = rows.filter((r) => r.outcome?.includes('Closed - Converted') || r.outcome?.includes('the opportunity stage is shown'));
      return converted.length > 0 && rows.every((r) => r.status !== 'received');
    });
    expect((await participant(w.t, friend.id)).crm.salesforce.stage).toMatchObject({ object: 'opportunity', stage: 'Qualification' });
    await nextSecond();
    w.sf.org.setOpportunityStage(opportunityId, 'Closed Won');
    await referralStatus(w.t, friend.id, 'qualified');
    await stageShown(w, friend.id, 'Closed Won');
  });
});
