import { connectSalesforce, participant, pushedIds, queries, referral, startWorld, waitFor, type SalesforceWorld } from './support';

/**
 * The other object of each direction: referred users pushed as Contacts (instead of Leads), and a
 * sync that reads Leads (instead of Contacts), narrowed by a SOQL condition, with the links written
 * back to the Leads.
 */

const contactSettings = { push_as: 'contact', referral_code_field: 'Referral_Code__c', referral_link_field: 'Referral_Link__c', detection: 'polling', poll_interval_seconds: 3600 };

describe('Salesforce Contacts push and Lead sync', () => {
  let w: SalesforceWorld;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  it('pushes referred users as Contacts: deduped by email with SOQL, created through sObject Collections with the mapped fields', async () => {
    const connected = await connectSalesforce(w, contactSettings);
    expect(connected.status).toBe(200);
    const known = w.sf.org.create('Contact', { LastName: 'Known', Email: 'Known.Contact@Example.com' });
    w.sf.http.clearRequests();

    const { friend } = await referral(w, 'contact-fred@example.com');
    const ids = await pushedIds(w.t, friend.id, 'contact');
    expect(ids.contact).toMatch(/^003/);
    expect(w.sf.org.records.Contact.get(ids.contact)).toMatchObject({
      FirstName: 'Fred',
      LastName: 'Friend',
      Email: 'contact-fred@example.com',
      Referral_Code__c: friend.code,
      Referral_Link__c: friend.referral_link,
    });
    expect(queries(w.sf)).toContain("SELECT Id, Email FROM Contact WHERE Email IN ('contact-fred@example.com') ORDER BY CreatedDate ASC");
    const created = w.sf.http.requestsTo('POST /services/data/v62.0/composite/sobjects');
    expect(created).toHaveLength(1);
    expect(created[0].body).toEqual({
      allOrNone: false,
      records: [
        {
          attributes: { type: 'Contact' },
          FirstName: 'Fred',
          LastName: 'Friend',
          Email: 'contact-fred@example.com',
          Referral_Code__c: friend.code,
          Referral_Link__c: friend.referral_link,
        },
      ],
    });
    // Lead-only fields stay off a Contact; no Lead is made.
    expect(w.sf.org.records.Lead.size).toBe(0);
    expect((await participant(w.t, friend.id)).crm.salesforce.ids).toEqual({ contact: ids.contact });

    // The Contact Salesforce already has for an email (any case) is updated, not doubled.
    w.sf.http.clearRequests();
    const again = await referral(w, 'known.contact@example.com');
    const knownIds = await pushedIds(w.t, again.friend.id, 'contact');
    expect(knownIds.contact).toBe(known.Id);
    expect([...w.sf.org.records.Contact.values()].filter((c) => String(c.Email).toLowerCase() === 'known.contact@example.com')).toHaveLength(1);
    expect(w.sf.org.records.Contact.get(String(known.Id))).toMatchObject({ LastName: 'Friend', Referral_Code__c: again.friend.code });
    expect(w.sf.http.requestsTo('POST /services/data/v62.0/composite/sobjects')).toHaveLength(0);
    expect(w.sf.http.requestsTo('PATCH /services/data/v62.0/composite/sobjects').at(-1)?.body).toMatchObject({ records: [{ attributes: { type: 'Contact' }, id: known.Id }] });
  });

  it('syncs Leads matching a SOQL filter into imported participants and writes their links back to the Leads', async () => {
    const connected = await connectSalesforce(w, { ...contactSettings, sync_object: 'Lead' });
    expect(connected.status).toBe(200);
    const web = Array.from({ length: 12 }, (_, i) => w.sf.org.create('Lead', { FirstName: `W${i}`, LastName: 'Web', Company: 'Web Co', Email: `web-lead-${i}@example.com`, LeadSource: 'Web' }));
    const partner = Array.from({ length: 5 }, (_, i) => w.sf.org.create('Lead', { LastName: 'Partner', Company: 'P Co', Email: `partner-lead-${i}@example.com`, LeadSource: 'Partner' }));
    const converted = w.sf.org.create('Lead', { LastName: 'Converted', Company: 'C Co', Email: 'converted-lead@example.com', LeadSource: 'Web' });
    w.sf.org.convertLead(String(converted.Id));
    w.sf.http.clearRequests();

    const started = await w.t.api('/v1/integrations/salesforce/sync', { body: { mode: 'once', campaign_id: w.campaign.id, filter: { where: "LeadSource = 'Web'" } } });
    expect(started.status).toBe(202);
    const done = await waitFor('lead sync finished', async () => {
      const run = (await w.t.api(`/v1/integrations/salesforce/syncs/${started.body.id}`)).body;
      return run.state === 'completed' || run.state === 'failed' ? run : null;
    });
    expect(done).toMatchObject({ state: 'completed', total: 12, processed: 12, created: 12, failed: 0, links_written: 12 });
    // The filter is ANDed with what a sync always asks: an email, and not converted.
    expect(queries(w.sf)).toContain("SELECT COUNT() FROM Lead WHERE Email != null AND IsConverted = false AND (LeadSource = 'Web')");

    // Links are written to the Leads themselves, in one sObject Collections call.
    const writes = w.sf.http.requestsTo('PATCH /services/data/v62.0/composite/sobjects');
    expect(writes).toHaveLength(1);
    const written = (writes[0].body as { records: Array<{ attributes: { type: string } }> }).records;
    expect(written).toHaveLength(12);
    expect(written.every((r) => r.attributes.type === 'Lead')).toBe(true);
    for (const lead of web) {
      const found = await w.t.api(`/v1/participants?campaign_id=${w.campaign.id}&email=${encodeURIComponent(String(lead.Email))}`);
      const imported = found.body.data[0];
      expect(imported).toMatchObject({ type: 'imported', first_name: lead.FirstName, last_name: 'Web' });
      expect(w.sf.org.records.Lead.get(String(lead.Id))).toMatchObject({ Referral_Link__c: imported.referral_link, Referral_Code__c: imported.code });
      expect((await participant(w.t, imported.id)).crm.salesforce.ids).toEqual({ lead: lead.Id });
    }
    // Leads outside the filter, and the converted one, are left alone.
    for (const lead of [...partner, w.sf.org.records.Lead.get(String(converted.Id))]) {
      expect(lead?.Referral_Link__c).toBeUndefined();
      const found = await w.t.api(`/v1/participants?campaign_id=${w.campaign.id}&email=${encodeURIComponent(String(lead?.Email))}`);
      expect(found.body.data).toHaveLength(0);
    }
  });
});
