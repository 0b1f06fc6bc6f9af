import { startBackground, type Background } from '../../../core/src/jobs/background';
import { connectSalesforce, participant, pushedIds, referral, referralSettings, referralStatus, startWorld, waitFor, type SalesforceWorld } from './support';

const LEAD = '/data/LeadChangeEvent';
const OPPORTUNITY = '/data/OpportunityChangeEvent';
const settings = { ...referralSettings, qualified_lead_status: null, qualified_opportunity_stage: 'Closed Won', unqualified_opportunity_stage: 'Closed Lost' };

/** The replay ids the hub stored for the integration's stream (install_settings, per connection). */
async function storedCursor(w: SalesforceWorld): Promise<Record<string, number> | null> {
  const rows = await w.t.hub.db.query<{ value: string }>("SELECT value FROM install_settings WHERE key LIKE 'integration:%:stream_cursor:%'");
  return rows[0] ? JSON.parse(rows[0].value) : null;
}

const subscribed = (w: SalesforceWorld, channel: string) => [...w.sf.cometd.active.values()].filter((channels) => channels.has(channel)).length;

describe('Salesforce Change Data Capture', () => {
  let w: SalesforceWorld;
  // The worker is started by hand so the test can stop it and start another, as a restart would.
  let worker: Background;
  const startWorker = () => startBackground(w.t.hub, { retryDelayScale: 0.001 });

  beforeAll(async () => {
    w = await startWorld({ worker: false });
    worker = await startWorker();
    const res = await connectSalesforce(w, settings);
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    expect(res.body.manual_webhooks.events).toEqual(['OpportunityChangeEvent']);
  });
  afterAll(async () => {
    await worker.stop();
    await w.close();
  });

  it('opens one stream for the integration, subscribed to the opportunity change events from now on', async () => {
    await waitFor('stream subscribed', () => subscribed(w, OPPORTUNITY) === 1);
    expect(subscribed(w, LEAD)).toBe(0);
    expect(w.sf.cometd.subscriptions).toEqual([expect.objectContaining({ channel: OPPORTUNITY, replayFrom: -1 })]);
  });

  it('qualifies the referral when the opportunity its converted lead became reaches Closed Won', async () => {
    const { friend } = await referral(w, 'cdc-fred@example.com');
    const { lead } = await pushedIds(w.t, friend.id);
    const { opportunityId } = w.sf.org.convertLead(lead, 'Prospecting');
    w.sf.org.setOpportunityStage(opportunityId, 'Negotiation/Review');
    expect((await participant(w.t, friend.id)).referral_status).toBe('pending');
    w.sf.org.setOpportunityStage(opportunityId, 'Closed Won');
    const qualified = await referralStatus(w.t, friend.id, 'qualified');
    expect(qualified.referral_status).toBe('qualified');
    const [event] = await w.t.hub.db.query<{ vendor_event_id: string; status: string; outcome: string }>(
      "SELECT vendor_event_id, status, outcome FROM vendor_events WHERE vendor = 'salesforce' AND kind = 'qualify' AND status = 'applied'",
    );
    const last = w.sf.cometd.events.filter((e) => e.channel === OPPORTUNITY).at(-1);
    expect(event.vendor_event_id).toBe(`cdc:Opportunity:${last?.replayId}:${opportunityId}`);
    expect(event.outcome).toContain('qualified');
    // Every delivered event moved the stored replay id, the last one included.
    await waitFor('cursor stored', async () => (await storedCursor(w))?.[OPPORTUNITY] === last?.replayId);
  });

  it('resumes from the stored replay id after a restart: changes made while no worker ran still count', async () => {
    const { friend } = await referral(w, 'restart-fred@example.com');
    const { lead } = await pushedIds(w.t, friend.id);
    const before = await storedCursor(w);
    await worker.stop();
    await waitFor('stream closed', () => subscribed(w, OPPORTUNITY) === 0);
    expect(w.sf.cometd.disconnected.length).toBeGreaterThan(0);

    const { opportunityId } = w.sf.org.convertLead(lead, 'Prospecting');
    w.sf.org.setOpportunityStage(opportunityId, 'Closed Won');
    expect((await participant(w.t, friend.id)).referral_status).toBe('pending');

    worker = await startWorker();
    await referralStatus(w.t, friend.id, 'qualified');
    const resumed = w.sf.cometd.subscriptions.at(-1);
    expect(resumed).toMatchObject({ channel: OPPORTUNITY, replayFrom: before?.[OPPORTUNITY] });
  });

  it('closes the stream on disconnect and keeps the data; later changes are not received', async () => {
    const { friend } = await referral(w, 'late-fred@example.com');
    const { lead } = await pushedIds(w.t, friend.id);
    const res = await w.t.api('/v1/integrations/salesforce', { method: 'DELETE' });
    expect(res.status).toBe(200);
    await waitFor('stream closed', () => subscribed(w, OPPORTUNITY) === 0, 10_000);
    const events = (await w.t.hub.db.query<{ n: number }>("SELECT count(*)::int AS n FROM vendor_events WHERE vendor = 'salesforce'"))[0].n;
    const { opportunityId } = w.sf.org.convertLead(lead, 'Prospecting');
    w.sf.org.setOpportunityStage(opportunityId, 'Closed Won');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(subscribed(w, OPPORTUNITY)).toBe(0);
    expect((await w.t.hub.db.query<{ n: number }>("SELECT count(*)::int AS n FROM vendor_events WHERE vendor = 'salesforce'"))[0].n).toBe(events);
    const p = await participant(w.t, friend.id);
    expect(p.referral_status).toBe('pending');
    expect(p.crm.salesforce.ids.lead).toBe(lead);
    expect(w.sf.org.records.Lead.get(lead)).toBeDefined();
  });

  it('says what to do when Change Data Capture is not enabled for an object it needs', async () => {
    w.sf.org.cdcEnabled.delete('Lead');
    const res = await connectSalesforce(w, { ...settings, qualified_lead_status: 'Closed - Converted' });
    expect(res.status).toBe(200);
    expect(res.body.manual_webhooks.instructions).toContain('select Lead and Opportunity');
    const integration = await waitFor('stream refused', async () => {
      const body = (await w.t.api('/v1/integrations/salesforce')).body;
      return body.last_error ? body : null;
    });
    expect(integration.status).toBe('connected');
    expect(integration.last_error).toContain(`cannot subscribe to ${LEAD}`);
    expect(integration.last_error).toContain('Change Data Capture, or set settings.detection to polling');
  });
});
