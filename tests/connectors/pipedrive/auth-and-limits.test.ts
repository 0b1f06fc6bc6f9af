import { startFakePipedrive, type FakePipedrive } from '../../fakes/pipedrive';
import { addParticipant } from '../../support/fixtures';
import { connectPipedrive, pushedIds, startWorld, waitFor, HOOK_TIMEOUT_MS, type PipedriveWorld } from './support';

const settings = { pipeline_id: 2, qualified_stage_id: 13 };

describe('Pipedrive credentials and rate limits', () => {
  let w: PipedriveWorld;
  beforeAll(async () => {
    w = await startWorld();
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await w.close();
  }, HOOK_TIMEOUT_MS);

  it('sends the API token as x-api-token and refuses a token Pipedrive rejects, saving nothing', async () => {
    const bad = await connectPipedrive(w, settings, { api_token: 'ffffffffffffffffffffffffffffffffffffffff' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'credentials', message: 'rejected by pipedrive' }]);
    expect((await w.t.api('/v1/integrations/pipedrive')).status).toBe(404);
    const [me] = w.pd.fake.requestsTo('GET /api/v1/users/me');
    expect(me.headers['x-api-token']).toBe('ffffffffffffffffffffffffffffffffffffffff');
    expect(me.headers['user-agent']).toBe('Referloop (pipedrive SDK for Node.js)');
  });

  it('honours x-ratelimit-remaining before it is refused: a spent budget waits for the reset, no 429', async () => {
    w.pd.fake.clearRequests();
    w.pd.rateLimit(3, 1_500);
    const started = Date.now();
    const res = await connectPipedrive(w, settings);
    const took = Date.now() - started;
    w.pd.rateLimit(null);
    expect(res.status).toBe(200);
    // users/me, person fields, deal fields, pipelines, stages, webhooks list, two webhooks made: 8 calls in windows of 3.
    expect(w.pd.fake.requests).toHaveLength(8);
    expect(w.pd.refused()).toBe(0);
    expect(took).toBeGreaterThanOrEqual(2 * 1_000);
  });

  it('reads the rate-limit headers of a 429 (which the SDK alone drops) and retries after the reset they name', async () => {
    w.pd.fake.clearRequests();
    w.pd.fake.fail('GET /api/v1/users/me', { status: 429, headers: { 'x-ratelimit-limit': '80', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' }, body: { success: false, error: 'Request over limit' } });
    const started = Date.now();
    const res = await w.t.api('/v1/integrations/pipedrive', { method: 'PUT', body: { settings } });
    expect(res.status).toBe(200);
    expect(w.pd.fake.requestsTo('GET /api/v1/users/me')).toHaveLength(2);
    // Our backoff alone would have waited at most 500 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
  });

  it('marks the integration needs_reconnect when Pipedrive starts refusing the token, without retrying', async () => {
    const referrer = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'rita@example.com', first_name: 'Rita' });
    const ok = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'first@example.com', first_name: 'First', referrer_code: referrer.code });
    await pushedIds(w.t, ok.id, 'deal');
    const revoked = w.pd.state.apiToken;
    w.pd.state.apiToken = 'a-new-token-the-hub-does-not-know-0000000';
    w.pd.fake.clearRequests();
    await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'second@example.com', first_name: 'Second', referrer_code: referrer.code });
    const integration = await waitFor('needs_reconnect', async () => {
      const res = await w.t.api('/v1/integrations/pipedrive');
      return res.body.status === 'needs_reconnect' ? res.body : null;
    });
    expect(integration.last_error).toContain('reconnect');
    expect(w.pd.fake.requests).toHaveLength(1);
    expect(JSON.stringify(integration)).not.toContain(revoked);
    w.pd.state.apiToken = revoked;
  });
});

describe('Pipedrive OAuth 2', () => {
  let w: PipedriveWorld;
  let oauthServer: FakePipedrive;
  beforeAll(async () => {
    w = await startWorld();
    // Pipedrive's OAuth server is another host than the company's API (api_domain).
    oauthServer = await startFakePipedrive();
    oauthServer.oauth.apiDomain = () => w.pd.url;
    w.pd.state.accessTokens = oauthServer.state.accessTokens;
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await w.close();
    await oauthServer.close();
  }, HOOK_TIMEOUT_MS);

  it('exchanges the authorization code, calls the api_domain with the access token, and refreshes a refused token once', async () => {
    const { clientId, clientSecret, redirectUri, code } = oauthServer.oauth;
    const res = await w.t.api('/v1/integrations/pipedrive', {
      method: 'PUT',
      body: { credentials: { client_id: clientId, client_secret: clientSecret, redirect_uri: redirectUri, code }, settings, api_base_url: oauthServer.url },
    });
    expect(res.status).toBe(200);
    expect(res.body.account).toEqual({ id: '7654321', name: 'Acme Sales' });
    const [exchange] = oauthServer.fake.requestsTo('POST /oauth/token');
    expect(exchange.body).toEqual({ code, redirect_uri: redirectUri, grant_type: 'authorization_code' });
    expect(exchange.headers.authorization).toBe(`Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`);
    // Every API call went to the api_domain the token answer named, with the bearer token.
    const [me] = w.pd.fake.requestsTo('GET /api/v1/users/me');
    expect(me.headers.authorization).toMatch(/^Bearer v1u:/);
    expect(me.headers['x-api-token']).toBeUndefined();
    expect(oauthServer.fake.requestsTo('GET /api/v1/users/me')).toHaveLength(0);
    expect(JSON.stringify(res.body)).not.toMatch(/v1u:|r:[0-9a-f]{32}/);

    // The access token is revoked at Pipedrive: the next push refreshes once and goes on.
    oauthServer.state.accessTokens.clear();
    const referrer = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'rita@example.com', first_name: 'Rita' });
    const friend = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'oli@example.com', first_name: 'Oli', referrer_code: referrer.code });
    await pushedIds(w.t, friend.id, 'deal');
    const refreshes = oauthServer.fake.requestsTo('POST /oauth/token').slice(1);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].body).toMatchObject({ grant_type: 'refresh_token', refresh_token: expect.stringMatching(/^r:/) });

    // The refreshed tokens were saved: another push needs no refresh.
    const again = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'pia@example.com', first_name: 'Pia', referrer_code: referrer.code });
    await pushedIds(w.t, again.id, 'deal');
    expect(oauthServer.fake.requestsTo('POST /oauth/token')).toHaveLength(2);
  });
});
