import { connectSalesforce, participant, pushedIds, queries, referral, referralSettings, referralStatus, startWorld, waitFor, type SalesforceWorld } from './support';

const polling = { ...referralSettings, detection: 'polling', poll_interval_seconds: 1, qualified_lead_status: 'Closed - Converted', qualified_opportunity_stage: null };

describe('Salesforce settings checked against the org, and the polling fallback', () => {
  let w: SalesforceWorld;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  it('refuses a mapped field the object does not have, naming the field and the object, and saves nothing', async () => {
    w.sf.http.clearRequests();
    const res = await connectSalesforce(w, { ...polling, referred_by_field: 'Referrer_Email__c', sync_object: 'Lead' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { path: 'settings.referred_by_field', message: expect.stringContaining('field Referrer_Email__c does not exist on the Salesforce Lead object') },
    ]);
    expect(w.sf.http.requestsTo('GET /services/data/v62.0/sobjects/:type/describe').map((r) => r.path)).toContain('/services/data/v62.0/sobjects/Lead/describe');
    expect((await w.t.api('/v1/integrations/salesforce')).status).toBe(404);
  });

  it('refuses an Opportunity field the org lacks and a Lead status its picklist does not have', async () => {
    const res = await connectSalesforce(w, { ...polling, referral_link_field: 'Referral_Link__c', sync_object: 'Contact', referred_by_field: null, opportunity_referral_code_field: 'Missing_Code__c', qualified_lead_status: 'Won' });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(['settings.opportunity_referral_code_field', 'settings.qualified_lead_status']);
    expect(res.body.errors[0].message).toContain('Missing_Code__c does not exist on the Salesforce Opportunity object');
    expect(res.body.errors[1].message).toContain("'Won' is not a Lead Status value");
  });

  it('qualifies the referral when a poll finds its Lead in the qualifying status', async () => {
    const res = await connectSalesforce(w, polling);
    expect(res.status).toBe(200);
    expect(res.body.manual_webhooks).toBeNull();
    const { friend } = await referral(w, 'poll-fred@example.com');
    const { lead } = await pushedIds(w.t, friend.id);
    w.sf.org.setLeadStatus(lead, 'Working - Contacted');
    w.sf.org.setLeadStatus(lead, 'Closed - Converted');
    await referralStatus(w.t, friend.id, 'qualified');
    const polls = queries(w.sf).filter((q) => q.includes('SystemModstamp >'));
    expect(polls.at(-1)).toMatch(/^SELECT Id, SystemModstamp, Status, Email, Referral_Code__c FROM Lead WHERE \(SystemModstamp > \S+Z OR \(SystemModstamp = \S+Z AND Id > '.*'\)\) AND SystemModstamp < \S+Z ORDER BY SystemModstamp ASC, Id ASC LIMIT 200$/);
    const [event] = await w.t.hub.db.query<{ vendor_event_id: string }>("SELECT vendor_event_id FROM vendor_events WHERE vendor = 'salesforce' AND status = 'applied'");
    expect(event.vendor_event_id).toMatch(new RegExp(`^poll:lead:${lead}:`));
    // No Change Data Capture with polling.
    expect(w.sf.cometd.subscriptions).toHaveLength(0);
  });

  it('stops polling on disconnect and keeps the data', async () => {
    const { friend } = await referral(w, 'poll-late@example.com');
    const { lead } = await pushedIds(w.t, friend.id);
    expect((await w.t.api('/v1/integrations/salesforce', { method: 'DELETE' })).status).toBe(200);
    // A poll already under way may finish; after that none starts.
    await new Promise((r) => setTimeout(r, 1_500));
    w.sf.http.clearRequests();
    w.sf.org.setLeadStatus(lead, 'Closed - Converted');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(queries(w.sf)).toEqual([]);
    const p = await participant(w.t, friend.id);
    expect(p.referral_status).toBe('pending');
    expect(p.crm.salesforce.ids.lead).toBe(lead);
    await waitFor('integration disconnected', async () => (await w.t.api('/v1/integrations/salesforce')).body.status === 'disconnected');
  });
});
