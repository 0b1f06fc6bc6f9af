import { hubspotConnector } from '../../../connectors/hubspot';
import type { HubSpotCredentials } from '../../../connectors/hubspot/settings';
import { VendorError } from '../../../connectors/retry';
import { startFakeHubSpot, type FakeHubSpot } from '../../fakes/hubspot';
import { defaultLeadStatuses, property } from '../../fakes/hubspot/properties';

/** The connector called as core calls it: credentials, parsed settings, the SDK pointed at the fake. */
function context(hs: FakeHubSpot, credentials: HubSpotCredentials, saved: HubSpotCredentials[] = []) {
  return {
    credentials,
    settings: hubspotConnector.settingsSchema.parse({}),
    apiBaseUrl: hs.url,
    webhookSecrets: {},
    now: () => new Date(),
    async saveCredentials(next: HubSpotCredentials) {
      saved.push(next);
    },
  };
}

const stage = (id: string, label: string, displayOrder: number, archived = false) => ({ id, label, displayOrder, archived, metadata: { isClosed: 'false', probability: '0.5' }, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' });

describe('HubSpot options: deal pipelines, lifecycle stages, lead statuses and contact properties', () => {
  let hs: FakeHubSpot;
  beforeEach(async () => {
    hs = await startFakeHubSpot();
  });
  afterEach(async () => hs.close());

  const describeOptions = (credentials: HubSpotCredentials, saved?: HubSpotCredentials[]) => hubspotConnector.describeOptions!(context(hs, credentials, saved));

  it('lists the deal pipelines with their stages in HubSpot order, archived ones left out', async () => {
    hs.store.pipelines.unshift({
      id: '75e28846-ad0d-4be2-a027-5e1da6590b98',
      label: 'Referral deals',
      displayOrder: 1,
      archived: false,
      createdAt: '2024-01-01T00:00:00Z',
      updatedAt: '2024-01-01T00:00:00Z',
      stages: [stage('9380147', 'Won', 2), stage('9380145', 'Referred', 0), stage('9380146', 'Old step', 1, true)],
    });
    hs.store.pipelines.push({ id: '5551', label: 'Retired', displayOrder: 2, archived: true, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z', stages: [] });

    const { pipelines } = await describeOptions({ access_token: hs.token });

    expect(pipelines.map((p) => p.name)).toEqual(['Sales Pipeline', 'Referral deals']);
    expect(pipelines[0]).toEqual({
      id: 'default',
      name: 'Sales Pipeline',
      stages: [
        { id: 'appointmentscheduled', name: 'Appointment Scheduled' },
        { id: 'qualifiedtobuy', name: 'Qualified To Buy' },
        { id: 'presentationscheduled', name: 'Presentation Scheduled' },
        { id: 'decisionmakerboughtin', name: 'Decision Maker Bought-In' },
        { id: 'contractsent', name: 'Contract Sent' },
        { id: 'closedwon', name: 'Closed Won' },
        { id: 'closedlost', name: 'Closed Lost' },
      ],
    });
    expect(pipelines[1].stages).toEqual([
      { id: '9380145', name: 'Referred' },
      { id: '9380147', name: 'Won' },
    ]);
    expect(hs.requestsTo('GET /crm/v3/pipelines/deals')[0].headers.authorization).toBe(`Bearer ${hs.token}`);
  });

  it("answers the account's own lifecycle stages (a custom one included) and lead statuses, hidden options left out", async () => {
    const lifecycle = hs.store.properties.find((p) => p.name === 'lifecyclestage')!;
    // A custom stage gets a numeric internal value; HubSpot places it where the admin dropped it.
    lifecycle.options.splice(5, 0, { value: '1049563', label: 'Trial user', description: '', displayOrder: 0, hidden: false });
    lifecycle.options.forEach((o, i) => (o.displayOrder = i));
    lifecycle.options.find((o) => o.value === 'other')!.hidden = true;

    const { picklists } = await describeOptions({ access_token: hs.token });

    expect(picklists.lifecycle_stage).toEqual([
      { value: 'subscriber', label: 'Subscriber' },
      { value: 'lead', label: 'Lead' },
      { value: 'marketingqualifiedlead', label: 'Marketing Qualified Lead' },
      { value: 'salesqualifiedlead', label: 'Sales Qualified Lead' },
      { value: 'opportunity', label: 'Opportunity' },
      { value: '1049563', label: 'Trial user' },
      { value: 'customer', label: 'Customer' },
      { value: 'evangelist', label: 'Evangelist' },
    ]);
    expect(picklists.lead_status).toEqual(defaultLeadStatuses.map(([value, label]) => ({ value, label })));
    expect(hs.requestsTo('GET /crm/v3/properties/contacts')[0].query).toMatchObject({ archived: 'false' });
  });

  it('offers the contact properties a write may set: not read-only, calculated, hidden or archived', async () => {
    hs.store.properties.push(
      property({ name: 'plan_tier', label: 'Plan tier', type: 'enumeration', fieldType: 'select', options: [['free', 'Free'], ['pro', 'Pro']] }),
      property({ name: 'internal_score', label: 'Internal score', type: 'number', fieldType: 'number', hidden: true }),
      property({ name: 'old_code', label: 'Old code', archived: true }),
    );

    const { fields } = await describeOptions({ access_token: hs.token });

    expect(fields.contact).toEqual([
      { key: 'email', name: 'Email', type: 'string', custom: false, required: false },
      { key: 'firstname', name: 'First Name', type: 'string', custom: false, required: false },
      { key: 'lastname', name: 'Last Name', type: 'string', custom: false, required: false },
      { key: 'lifecyclestage', name: 'Lifecycle Stage', type: 'enumeration', custom: false, required: false },
      { key: 'hs_lead_status', name: 'Lead Status', type: 'enumeration', custom: false, required: false },
      { key: 'createdate', name: 'Create Date', type: 'datetime', custom: false, required: false },
      { key: 'plan_tier', name: 'Plan tier', type: 'enumeration', custom: true, required: false },
    ]);
  });

  it('leaves out a picklist the account does not have', async () => {
    hs.store.properties = hs.store.properties.filter((p) => p.name !== 'hs_lead_status');
    const { picklists } = await describeOptions({ access_token: hs.token });
    expect(Object.keys(picklists)).toEqual(['lifecycle_stage']);
  });

  it('with a public app, refreshes the access token first and hands the new tokens to the caller', async () => {
    const saved: HubSpotCredentials[] = [];
    const options = await describeOptions({ client_id: hs.oauth.clientId, client_secret: hs.oauth.clientSecret, refresh_token: hs.oauth.refreshToken }, saved);
    expect(options.pipelines).toHaveLength(1);
    expect(saved).toEqual([expect.objectContaining({ access_token: hs.oauth.issued[0], refresh_token: hs.oauth.refreshToken })]);
    expect(hs.requestsTo('GET /crm/v3/pipelines/deals')[0].headers.authorization).toBe(`Bearer ${hs.oauth.issued[0]}`);
  });

  it('reports a refused token as a 401 VendorError', async () => {
    const failure = await describeOptions({ access_token: 'pat-na1-not-a-real-token' }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(VendorError);
    expect(failure).toMatchObject({ outcome: { status: 401 } });
  });
});
