import { startFakePipedrive, type FakePipedrive } from '../../fakes/pipedrive';
import { addParticipant, createCampaign } from '../../support/fixtures';
import { dbKinds, startTestHub, type TestHub } from '../../support/hub';

jest.setTimeout(60_000);

const HOOK_TIMEOUT_MS = 180_000;

async function waitFor(probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.each(dbKinds())('integration options on %s: what a settings form chooses from, loaded from the vendor', (db) => {
  let t: TestHub;
  let pd: FakePipedrive;
  let api: TestHub['api'];
  let workspaceId: string;
  let secretKey: string;
  beforeAll(async () => {
    t = await startTestHub({ db, worker: { retryDelayScale: 0.001 } });
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => t?.close(), HOOK_TIMEOUT_MS);
  beforeEach(async () => {
    pd = await startFakePipedrive();
    const ws = await t.newWorkspace();
    workspaceId = ws.workspaceId;
    secretKey = ws.secretKey;
    api = (path, init = {}) => t.api(path, { ...init, key: init.key === undefined ? ws.secretKey : init.key });
  });
  afterEach(async () => pd.close());

  const options = (vendor: string, body?: unknown) => api(`/v1/integrations/${vendor}/options`, body === undefined ? {} : { method: 'POST', body });
  const integrationRows = async () => t.hub.db.query<{ vendor: string }>('SELECT vendor FROM integrations WHERE workspace_id = $1', [workspaceId]);
  const referralsPipeline = {
    id: 2,
    name: 'Referrals',
    stages: [
      { id: 11, name: 'New referral' },
      { id: 12, name: 'Demo booked' },
      { id: 13, name: 'Customer' },
    ],
  };

  it('answers the pipelines, stages and fields of a connected integration, read with its stored credentials', async () => {
    const referralCode = pd.addField('person', 'Referral code');
    const connected = await api('/v1/integrations/pipedrive', { method: 'PUT', body: { credentials: { api_token: pd.apiToken }, settings: { pipeline_id: 2 }, api_base_url: pd.url } });
    expect(connected.status).toBe(200);

    const res = await options('pipedrive');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: 'integration_options', vendor: 'pipedrive', picklists: {} });
    expect(res.body.pipelines).toEqual([expect.objectContaining({ id: 1, name: 'Sales' }), referralsPipeline]);
    expect(res.body.fields.person).toEqual([
      { key: 'name', name: 'Name', type: 'varchar', custom: false, required: true },
      { key: referralCode, name: 'Referral code', type: 'varchar', custom: true, required: false },
    ]);
    expect(res.body.fields.deal).toEqual([{ key: 'title', name: 'Title', type: 'varchar', custom: false, required: true }]);
    expect(pd.fake.requestsTo('GET /api/v2/stages').map((r) => r.headers['x-api-token'])).toEqual([pd.apiToken, pd.apiToken]);

    // A POST without credentials reads with the stored ones too.
    const again = await options('pipedrive', {});
    expect(again.status).toBe(200);
    expect(again.body.pipelines).toEqual(res.body.pipelines);
  });

  it('answers for credentials not saved yet, and stores nothing: no integration, no webhook at the vendor', async () => {
    const res = await options('pipedrive', { credentials: { api_token: pd.apiToken }, api_base_url: pd.url });
    expect(res.status).toBe(200);
    expect(res.body.pipelines[1]).toEqual(referralsPipeline);
    expect(res.body.fields.person[0]).toMatchObject({ key: 'name', required: true });
    expect(await integrationRows()).toEqual([]);
    expect((await api('/v1/integrations/pipedrive')).status).toBe(404);
    expect(pd.state.webhooks.size).toBe(0);
  });

  it('names the failing credentials field, and asks for credentials while the vendor is not connected', async () => {
    const short = await options('pipedrive', { credentials: { api_token: 'short' }, api_base_url: pd.url });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'credentials.api_token', message: 'must be a Pipedrive API token' }] });

    const none = await options('pipedrive', { api_base_url: pd.url });
    expect(none.status).toBe(400);
    expect(none.body.errors).toEqual([{ path: 'credentials', message: 'is required while pipedrive is not connected' }]);

    expect((await options('pipedrive')).status).toBe(404);
    expect(pd.fake.requests).toHaveLength(0);
  });

  it('answers a token the vendor rejects as a 400 on credentials, and a vendor that stays down as a 502', async () => {
    const rejected = await options('pipedrive', { credentials: { api_token: 'b'.repeat(40) }, api_base_url: pd.url });
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'credentials', message: 'rejected by pipedrive' }] });
    expect(rejected.body.detail).toContain('unauthorized access');

    pd.fake.fail('GET /api/v1/personFields', { status: 503 }, 3);
    const down = await options('pipedrive', { credentials: { api_token: pd.apiToken }, api_base_url: pd.url });
    expect(down.status).toBe(502);
    expect(down.body).toMatchObject({ code: 'vendor_error', vendor: 'pipedrive' });
    // Three attempts under the shared retry decision, then the vendor's failure.
    expect(pd.fake.requestsTo('GET /api/v1/personFields').filter((r) => r.headers['x-api-token'] === pd.apiToken)).toHaveLength(3);
    expect(await integrationRows()).toEqual([]);
  });

  it('refuses a one-time authorization code without spending it: connect first', async () => {
    const code = pd.oauth.code;
    const res = await options('pipedrive', {
      credentials: { client_id: pd.oauth.clientId, client_secret: pd.oauth.clientSecret, redirect_uri: pd.oauth.redirectUri, code },
      api_base_url: pd.url,
    });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'credentials.code', message: expect.stringContaining('can be exchanged only once, so connect first') }]);
    expect(pd.fake.requestsTo('POST /oauth/token')).toHaveLength(0);
    expect(pd.oauth.code).toBe(code);
  });

  it('answers 409 for an integration whose stored credentials the vendor refused, and loads with new ones', async () => {
    const campaign = await createCampaign(t, {}, secretKey);
    const put = (apiToken: string) => api('/v1/integrations/pipedrive', { method: 'PUT', body: { credentials: { api_token: apiToken }, settings: { pipeline_id: 2 }, api_base_url: pd.url } });
    expect((await put(pd.apiToken)).status).toBe(200);
    // The token is regenerated in Pipedrive: the next push is refused and the integration needs reconnecting.
    pd.state.apiToken = 'c'.repeat(40);
    const referrer = await addParticipant(t, { campaign_id: campaign.id, email: 'rita@example.com' }, secretKey);
    await addParticipant(t, { campaign_id: campaign.id, email: 'fred@example.com', referrer_code: referrer.code }, secretKey);
    await waitFor(async () => (await api('/v1/integrations/pipedrive')).body.status === 'needs_reconnect');

    for (const res of [await options('pipedrive'), await options('pipedrive', {})]) {
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'conflict', detail: expect.stringContaining('reconnect') });
    }
    const fresh = await options('pipedrive', { credentials: { api_token: pd.state.apiToken } });
    expect(fresh.status).toBe(200);
    expect(fresh.body.pipelines[1]).toEqual(referralsPipeline);

    expect((await put(pd.state.apiToken)).status).toBe(200);
    expect((await options('pipedrive')).status).toBe(200);
  });

  it('answers empty lists for Stripe, which has nothing to pick from', async () => {
    const res = await options('stripe', { credentials: { secret_key: 'sk_test_51Hfake0123456789abcdef' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ object: 'integration_options', vendor: 'stripe', pipelines: [], picklists: {}, fields: {} });
    expect(await integrationRows()).toEqual([]);
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = (await t.api('/openapi.json', { key: null })).body;
    const path = doc.paths['/v1/integrations/{vendor}/options'];
    expect(path.get.summary).toMatch(/options/i);
    expect(path.post.requestBody.content['application/json'].schema.properties).toHaveProperty('credentials');
    expect(JSON.stringify(path.get.responses['200'])).toContain('pipelines');
  });
});
