import { addParticipant } from '../../support/fixtures';
import { connectSalesforce, participant, pushedIds, queries, referral, referralSettings, startWorld, waitFor, type SalesforceWorld } from './support';

describe('Salesforce push', () => {
  let w: SalesforceWorld;
  beforeAll(async () => {
    w = await startWorld();
    const res = await connectSalesforce(w, { ...referralSettings, detection: 'polling', poll_interval_seconds: 3600 });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
  });
  afterAll(async () => {
    await w.close();
  });

  it('pushes a referred friend as a Lead with the mapped referral fields, after looking for its email with SOQL', async () => {
    const { referrer, friend } = await referral(w, 'fred@example.com');
    const ids = await pushedIds(w.t, friend.id);
    const lead = w.sf.org.records.Lead.get(ids.lead);
    expect(lead).toMatchObject({
      FirstName: 'Fred',
      LastName: 'Friend',
      Email: 'fred@example.com',
      Company: 'Fred Friend',
      LeadSource: 'Referral',
      Status: 'Open - Not Contacted',
      Referral_Code__c: friend.code,
      Referral_Link__c: friend.referral_link,
      Referred_By__c: `Rita Referrer <${referrer.email}>`,
    });
    expect(ids.lead).toMatch(/^00Q/);
    expect(queries(w.sf).some((q) => q.includes("FROM Lead WHERE Email IN ('fred@example.com')"))).toBe(true);
    const created = w.sf.http.requestsTo('POST /services/data/v62.0/composite/sobjects');
    expect(created.at(-1)?.body).toMatchObject({ allOrNone: false, records: [{ attributes: { type: 'Lead' }, Email: 'fred@example.com' }] });
    // The referrer joined directly: only referred users are pushed by default.
    expect([...w.sf.org.records.Lead.values()].some((l) => l.Email === referrer.email)).toBe(false);
    const p = await participant(w.t, friend.id);
    expect(p.crm.salesforce.ids).toEqual({ lead: ids.lead });
  });

  it('updates the Lead Salesforce already has for the email instead of making a second one', async () => {
    const existing = w.sf.org.create('Lead', { LastName: 'Known', Company: 'Known Co', Email: 'Known@Example.com' });
    w.sf.http.clearRequests();
    const { friend } = await referral(w, 'known@example.com');
    const ids = await pushedIds(w.t, friend.id);
    expect(ids.lead).toBe(existing.Id);
    expect([...w.sf.org.records.Lead.values()].filter((l) => String(l.Email).toLowerCase() === 'known@example.com')).toHaveLength(1);
    expect(w.sf.org.records.Lead.get(ids.lead)).toMatchObject({ Referral_Code__c: friend.code, LastName: 'Friend' });
    const updated = w.sf.http.requestsTo('PATCH /services/data/v62.0/composite/sobjects');
    expect(updated).toHaveLength(1);
    expect(w.sf.http.requestsTo('POST /services/data/v62.0/composite/sobjects')).toHaveLength(0);
  });

  it('gathers sign-ups into sObject Collections calls instead of one call each', async () => {
    const referrer = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'batch-ref@example.com' });
    w.sf.http.clearRequests();
    const friends = await Promise.all(
      Array.from({ length: 30 }, (_, i) => addParticipant(w.t, { campaign_id: w.campaign.id, email: `batch-${i}@example.com`, first_name: `B${i}`, referrer_code: referrer.code })),
    );
    await waitFor('30 leads pushed', async () => {
      const all = await Promise.all(friends.map((f) => participant(w.t, f.id)));
      return all.every((p) => p.crm?.salesforce?.ids?.lead);
    });
    const calls = w.sf.http.requestsTo('POST /services/data/v62.0/composite/sobjects');
    const records = calls.reduce((n, c) => n + ((c.body as { records: unknown[] }).records.length ?? 0), 0);
    expect(records).toBe(30);
    // Sign-ups trickle in through the API; those arriving within a batch window share a call.
    expect(calls.length).toBeLessThan(20);
    expect(Math.max(...calls.map((c) => (c.body as { records: unknown[] }).records.length))).toBeGreaterThan(1);
    // One dedupe query per batch, not per participant.
    expect(queries(w.sf).filter((q) => q.includes('Email IN'))).toHaveLength(calls.length);
  });
});
