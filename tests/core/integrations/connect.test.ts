import { startIntegrationEnv, VENDOR, type IntegrationEnv, type Scenario } from './support/setup';

describe('connecting, configuring and disconnecting an integration', () => {
  let env: IntegrationEnv;
  let s: Scenario;
  beforeAll(async () => {
    env = await startIntegrationEnv();
  });
  beforeEach(async () => {
    s = await env.scenario();
  });
  afterAll(async () => env.close());

  it('checks the credentials at the vendor, registers our webhook there, and never shows the credentials', async () => {
    const { t, crm, api } = s;
    const res = await s.connect({ qualify_stage: 'won' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'integration',
      vendor: VENDOR,
      status: 'connected',
      account: { id: 'acct_tiny_1', name: 'Tiny Co' },
      settings: { qualify_stage: 'won', push_types: ['referred'], campaigns: {} },
      api_base_url: crm.url,
      last_error: null,
    });
    expect(res.body.inbound_url).toMatch(new RegExp(`^${t.url}/hooks/${VENDOR}/[0-9a-z]{30,}$`));
    expect(crm.fake.requestsTo('GET /api/me')).toHaveLength(1);
    expect([...crm.webhooks.values()].map((w) => w.url)).toEqual([res.body.inbound_url]);
    expect(res.body.webhooks).toEqual([{ id: [...crm.webhooks.keys()][0], event: '*', url: res.body.inbound_url }]);

    const shown = [res, await api(`/v1/integrations/${VENDOR}`), await api('/v1/integrations')];
    for (const r of shown) {
      expect(JSON.stringify(r.body)).not.toContain(crm.token);
      expect(JSON.stringify(r.body)).not.toContain('credentials');
    }
    expect(shown[2].body.data).toHaveLength(1);

    // At rest: sealed, and only our key opens it.
    const [row] = await t.hub.db.query<{ credentials: string; webhook_secrets: string }>('SELECT credentials, webhook_secrets FROM integrations WHERE workspace_id = $1', [s.workspaceId]);
    expect(row.credentials).not.toContain(crm.token);
    expect(row.webhook_secrets).not.toContain([...crm.webhooks.values()][0].secret);
    expect(t.hub.secrets.openJson(row.credentials, `integration:${s.workspaceId}:${VENDOR}:credentials`)).toEqual({ api_token: crm.token });
  });

  it('names the failing field and writes nothing when credentials or settings are invalid', async () => {
    const { crm, api, campaignId } = s;
    const put = (body: unknown) => api(`/v1/integrations/${VENDOR}`, { method: 'PUT', body });

    const noCreds = await put({ settings: {} });
    expect(noCreds.status).toBe(400);
    expect(noCreds.body.errors).toEqual([{ path: 'credentials', message: 'is required to connect' }]);

    const short = await put({ credentials: { api_token: 'x' }, api_base_url: crm.url });
    expect(short.status).toBe(400);
    expect(short.body.errors[0].path).toBe('credentials.api_token');

    const badSetting = await put({ credentials: { api_token: crm.token }, settings: { qualify_stage: '' }, api_base_url: crm.url });
    expect(badSetting.body.errors[0].path).toBe('settings.qualify_stage');

    const badCampaign = await put({ credentials: { api_token: crm.token }, settings: { campaigns: { cmp_nope: {}, [campaignId]: {} } }, api_base_url: crm.url });
    expect(badCampaign.status).toBe(400);
    expect(badCampaign.body.errors).toEqual([{ path: 'settings.campaigns.cmp_nope', message: 'no such campaign in this workspace' }]);

    const badVendor = await api('/v1/integrations/acme', { method: 'PUT', body: { credentials: { api_token: crm.token } } });
    expect(badVendor.status).toBe(400);
    expect(badVendor.body.errors[0].path).toBe('params.vendor');

    expect((await api(`/v1/integrations/${VENDOR}`)).status).toBe(404);
    expect(crm.fake.requestsTo('GET /api/me')).toHaveLength(0);
  });

  it('refuses credentials the vendor rejects (field named) and answers 502 when the vendor is down, saving nothing', async () => {
    const { crm, api } = s;
    const rejected = await api(`/v1/integrations/${VENDOR}`, { method: 'PUT', body: { credentials: { api_token: 'tiny_wrong_token_123' }, api_base_url: crm.url } });
    expect(rejected.status).toBe(400);
    expect(rejected.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'credentials', message: `rejected by ${VENDOR}` }] });
    expect(rejected.body.detail).toContain('invalid or revoked API token');

    crm.fake.fail('GET /api/me', { status: 503 }, 3);
    const down = await s.connect();
    expect(down.status).toBe(502);
    expect(down.body.code).toBe('vendor_error');
    expect(crm.fake.requestsTo('GET /api/me').length).toBe(4);
    expect((await api(`/v1/integrations/${VENDOR}`)).status).toBe(404);
    expect(crm.webhooks.size).toBe(0);
  });

  it('reconfigures without resending credentials, re-adopting the webhook instead of adding one', async () => {
    const { crm, api, campaignId } = s;
    const first = await s.connect({ qualify_stage: 'won' });
    const again = await api(`/v1/integrations/${VENDOR}`, { method: 'PUT', body: { settings: { qualify_stage: 'paid', campaigns: { [campaignId]: { qualify_stage: 'won' } } } } });
    expect(again.status).toBe(200);
    expect(again.body.settings).toMatchObject({ qualify_stage: 'paid', campaigns: { [campaignId]: { qualify_stage: 'won', within_days: 30 } } });
    expect(again.body.inbound_url).toBe(first.body.inbound_url);
    expect(again.body.webhooks).toEqual(first.body.webhooks);
    expect(again.body.connected_at).toBe(first.body.connected_at);
    expect(crm.webhooks.size).toBe(1);
    expect(crm.fake.requestsTo('POST /api/webhooks')).toHaveLength(1);
  });

  it('sends stored credentials only to the host they were saved for: moving api_base_url needs them again', async () => {
    const { crm, api } = s;
    await s.connect({ qualify_stage: 'won' });
    const calls = crm.fake.requests.length;
    for (const path of [`/v1/integrations/${VENDOR}`, `/v1/integrations/${VENDOR}/options`]) {
      const moved = await api(path, { method: path.endsWith('options') ? 'POST' : 'PUT', body: { api_base_url: 'http://127.0.0.1:9/elsewhere' } });
      expect(moved.status).toBe(400);
      expect(moved.body.errors).toEqual([{ path: 'credentials', message: expect.stringMatching(/required to change api_base_url/) }]);
    }
    expect(crm.fake.requests.length).toBe(calls);
    expect((await api(`/v1/integrations/${VENDOR}`)).body.api_base_url).toBe(crm.url);
    // The same host, or new credentials with a new host, are fine.
    expect((await api(`/v1/integrations/${VENDOR}`, { method: 'PUT', body: { api_base_url: crm.url } })).status).toBe(200);
  });

  it('disconnects: removes our webhook at the vendor, forgets the credentials, keeps the data, kills the inbound URL', async () => {
    const { t, crm, api } = s;
    const connected = await s.connect();
    const res = await api(`/v1/integrations/${VENDOR}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'disconnected', webhooks: [], last_error: null });
    expect(crm.webhooks.size).toBe(0);
    expect(crm.fake.requestsTo('DELETE /api/webhooks/:id')).toHaveLength(1);
    const [row] = await t.hub.db.query<{ credentials: string | null; settings: unknown }>('SELECT credentials, settings FROM integrations WHERE workspace_id = $1', [s.workspaceId]);
    expect(row.credentials).toBeNull();
    expect(row.settings).toMatchObject({ qualify_stage: 'won' });

    const hook = await fetch(connected.body.inbound_url, { method: 'POST', body: '{}' });
    expect(hook.status).toBe(404);
    expect((await api(`/v1/integrations/${VENDOR}`)).body.status).toBe('disconnected');
    expect((await api(`/v1/integrations/${VENDOR}`, { method: 'DELETE' })).status).toBe(404);

    const back = await s.connect();
    expect(back.body.status).toBe('connected');
    expect(back.body.inbound_url).not.toBe(connected.body.inbound_url);
  });

  it('still disconnects when the vendor cannot remove the webhook, and says what is left there', async () => {
    const { crm, api } = s;
    await s.connect();
    crm.fake.fail('DELETE /api/webhooks/:id', { status: 400, body: { message: 'webhook locked' } });
    const res = await api(`/v1/integrations/${VENDOR}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('disconnected');
    expect(res.body.last_error).toMatch(/could not be removed: .*webhook locked/);
  });

  it('never writes credentials or webhook secrets to the log (the whole log of this hub is grepped)', async () => {
    const { crm, api } = s;
    crm.fake.fail('GET /api/me', { status: 500 });
    expect((await s.connect({ qualify_stage: 'won' })).status).toBe(200);
    await api(`/v1/integrations/${VENDOR}`, { method: 'PUT', body: { credentials: { api_token: 'tiny_wrong_token_456' } } });
    await api(`/v1/integrations/${VENDOR}`, { method: 'DELETE' });
    const logs = env.logs();
    // The capture works: the connection and the retried vendor call were logged.
    expect(logs).toContain('integration connected');
    expect(logs).toContain('vendor call will be retried');
    for (const secret of [crm.token, 'tiny_wrong_token_456', ...[...crm.webhooks.values()].map((w) => w.secret)]) expect(logs).not.toContain(secret);
    expect(logs).not.toContain('api_token');
  });
});
