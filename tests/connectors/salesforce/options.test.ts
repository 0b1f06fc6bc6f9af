import { VendorError } from '../../../connectors/retry';
import { salesforceConnector } from '../../../connectors/salesforce';
import type { SalesforceCredentials } from '../../../connectors/salesforce/settings';
import { LEAD_STATUSES, OPPORTUNITY_STAGES } from '../../fakes/salesforce/state';
import { startSalesforceFake, type SalesforceFake } from '../../fakes/salesforce';
import { customFields } from './support';

/** The connector called as core calls it: credentials, parsed settings, jsforce pointed at the fake. */
function context(sf: SalesforceFake, credentials: SalesforceCredentials, saved: SalesforceCredentials[] = []) {
  return {
    credentials,
    settings: salesforceConnector.settingsSchema.parse({}),
    apiBaseUrl: sf.url,
    webhookSecrets: {},
    now: () => new Date(),
    async saveCredentials(next: SalesforceCredentials) {
      saved.push(next);
    },
  };
}

describe('Salesforce options: Lead status, Opportunity stage and Lead source picklists, updateable fields', () => {
  let sf: SalesforceFake;
  beforeEach(async () => {
    sf = await startSalesforceFake({ customFields });
  });
  afterEach(async () => sf.close());

  const describeOptions = (credentials: SalesforceCredentials, saved?: SalesforceCredentials[]) => salesforceConnector.describeOptions!(context(sf, credentials, saved));
  const labelled = (values: string[]) => values.map((value) => ({ value, label: value }));

  it("answers the org's active picklist values from describe; Salesforce has no pipelines", async () => {
    sf.org.fields.Lead.find((f) => f.name === 'Status')!.inactivePicklistValues = ['Nurturing (retired)'];
    sf.org.fields.Opportunity.find((f) => f.name === 'StageName')!.picklistValues = [...OPPORTUNITY_STAGES, 'Referral Won'];

    const options = await describeOptions(sf.tokenCredentials());

    expect(options.pipelines).toEqual([]);
    expect(options.picklists).toEqual({
      lead_status: labelled(LEAD_STATUSES),
      opportunity_stage: labelled([...OPPORTUNITY_STAGES, 'Referral Won']),
      lead_source: labelled(['Web', 'Referral', 'Partner', 'Other']),
    });
    // One describe per object, on the API version we name.
    expect(sf.http.requests.map((r) => `${r.method} ${r.path}`)).toEqual(
      ['Lead', 'Contact', 'Opportunity'].map((o) => `GET /services/data/v62.0/sobjects/${o}/describe`),
    );
  });

  it('offers the fields the API user may update; required means Salesforce refuses a new record without it', async () => {
    const { fields } = await describeOptions(sf.tokenCredentials());

    expect(fields.Lead).toEqual([
      { key: 'FirstName', name: 'First Name', type: 'string', custom: false, required: false },
      { key: 'LastName', name: 'Last Name', type: 'string', custom: false, required: true },
      { key: 'Email', name: 'Email', type: 'email', custom: false, required: false },
      { key: 'Company', name: 'Company', type: 'string', custom: false, required: true },
      { key: 'LeadSource', name: 'Lead Source', type: 'picklist', custom: false, required: false },
      // Not nillable, but Salesforce fills in the default status.
      { key: 'Status', name: 'Status', type: 'picklist', custom: false, required: false },
      { key: 'Referral_Code__c', name: 'Referral Code', type: 'string', custom: true, required: false },
      { key: 'Referral_Link__c', name: 'Referral Link', type: 'string', custom: true, required: false },
      { key: 'Referred_By__c', name: 'Referred By', type: 'string', custom: true, required: false },
    ]);
    expect(fields.Contact.map((f) => f.key)).toEqual(['FirstName', 'LastName', 'Email', 'Referral_Code__c', 'Referral_Link__c']);
    expect(fields.Opportunity.filter((f) => f.required).map((f) => f.key)).toEqual(['Name', 'StageName', 'CloseDate']);
    expect(fields.Opportunity.find((f) => f.key === 'Name')).toMatchObject({ name: 'Opportunity Name' });
  });

  it('refreshes an expired session with the refresh token and hands the new access token to the caller', async () => {
    const credentials = sf.tokenCredentials();
    sf.expireSessions();
    const saved: SalesforceCredentials[] = [];
    const options = await describeOptions(credentials, saved);
    expect(options.picklists.lead_status).toHaveLength(LEAD_STATUSES.length);
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ instance_url: sf.url, refresh_token: credentials.refresh_token });
    expect(saved[0]).not.toMatchObject({ access_token: credentials.access_token });
  });

  it('reports a refused session as a 401 VendorError', async () => {
    const failure = await describeOptions({ instance_url: sf.url, access_token: 'not-a-session-id' }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(VendorError);
    expect(failure).toMatchObject({ outcome: { status: 401 } });
  });
});
