import { startHubSpotEnv, type HubSpotEnv } from './support';

jest.setTimeout(30_000);

/**
 * A public app connected through OAuth 2: the install's authorization code is exchanged at
 * HubSpot's token endpoint, the access token it gives is the one every later call carries, and a
 * token about to run out is refreshed before the next call — the new tokens sealed at rest, never shown.
 */

// The hub's clock: moved past the access token's `expires_in` instead of waiting half an hour.
let clock = Date.now();
let env: HubSpotEnv;
beforeAll(async () => {
  env = await startHubSpotEnv({ now: () => new Date(clock) });
});
afterAll(async () => {
  await env?.close();
});

const REDIRECT_URI = 'https://app.example.com/oauth/hubspot/callback';
const bearer = (r: { headers: Record<string, string> }) => (r.headers.authorization ?? '').replace(/^Bearer\s+/i, '');

describe('HubSpot OAuth 2 (public app)', () => {
  it('exchanges the authorization code, calls with the new access token, and refreshes it before it expires', async () => {
    const s = await env.scenario();
    const { hs } = s;
    const connected = await s.api('/v1/integrations/hubspot', {
      method: 'PUT',
      body: { credentials: { client_id: hs.oauth.clientId, client_secret: hs.oauth.clientSecret, redirect_uri: REDIRECT_URI, code: 'good-code' }, settings: {}, api_base_url: hs.url },
    });
    expect(connected.status).toBe(200);
    expect(connected.body.account).toMatchObject({ id: String(hs.store.portalId) });

    // One code exchange, form encoded, with everything HubSpot's token endpoint asks for.
    const exchanges = hs.requestsTo('POST /oauth/v1/token');
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0].headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(exchanges[0].body).toEqual({ grant_type: 'authorization_code', client_id: hs.oauth.clientId, client_secret: hs.oauth.clientSecret, redirect_uri: REDIRECT_URI, code: 'good-code' });
    expect(hs.oauth.issued).toHaveLength(1);
    const [first] = hs.oauth.issued;

    // Every call after the exchange (account check, properties) carries the access token it gave.
    const afterExchange = hs.requests.filter((r) => r.route !== 'POST /oauth/v1/token');
    expect(afterExchange.map((r) => r.route)).toContain('GET /account-info/v3/details');
    expect(afterExchange.map(bearer)).toEqual(afterExchange.map(() => first));

    // A sign-up is pushed with the same token: still valid, so no second token request.
    hs.clearRequests();
    const { friend } = await s.referral('oauth-first@example.com');
    await s.contactOf(friend.id);
    expect(hs.requestsTo('POST /oauth/v1/token')).toHaveLength(0);
    expect(hs.requestsTo('POST /crm/v3/objects/contacts/batch/upsert').map(bearer)).toEqual([first]);

    // Past `expires_in` (1800 s): the next push trades the refresh token first, then calls with the new token.
    clock += 31 * 60_000;
    hs.clearRequests();
    const second = await s.referral('oauth-second@example.com');
    await s.contactOf(second.friend.id);
    const refreshes = hs.requestsTo('POST /oauth/v1/token');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0].body).toEqual({ grant_type: 'refresh_token', client_id: hs.oauth.clientId, client_secret: hs.oauth.clientSecret, refresh_token: hs.oauth.refreshToken });
    expect(hs.oauth.issued).toHaveLength(2);
    const refreshed = hs.oauth.issued[1];
    expect(refreshed).not.toBe(first);
    const routes = hs.requests.map((r) => r.route);
    const upsertAt = routes.indexOf('POST /crm/v3/objects/contacts/batch/upsert');
    expect(upsertAt).toBeGreaterThan(routes.indexOf('POST /oauth/v1/token'));
    // Refreshed before the call, not after a 401: nothing went out with the old token.
    expect(hs.requests.filter((r) => r.route !== 'POST /oauth/v1/token').map(bearer)).toEqual(hs.requests.filter((r) => r.route !== 'POST /oauth/v1/token').map(() => refreshed));

    // The refreshed tokens were kept: a later push uses them without asking again.
    hs.clearRequests();
    const third = await s.referral('oauth-third@example.com');
    await s.contactOf(third.friend.id);
    expect(hs.requestsTo('POST /oauth/v1/token')).toHaveLength(0);
    expect(hs.requestsTo('POST /crm/v3/objects/contacts/batch/upsert').map(bearer)).toEqual([refreshed]);

    // Never shown by the API, sealed at rest, and what opens there is the refreshed set.
    const secrets = [first, refreshed, hs.oauth.refreshToken, hs.oauth.clientSecret];
    const shown = JSON.stringify([connected.body, (await s.api('/v1/integrations/hubspot')).body]);
    for (const secret of secrets) expect(shown).not.toContain(secret);
    const [row] = await s.t.hub.db.query<{ credentials: string }>("SELECT credentials FROM integrations WHERE workspace_id = $1 AND vendor = 'hubspot'", [s.workspaceId]);
    for (const secret of secrets) expect(row.credentials).not.toContain(secret);
    expect(s.t.hub.secrets.openJson(row.credentials, `integration:${s.workspaceId}:hubspot:credentials`)).toEqual({
      client_id: hs.oauth.clientId,
      client_secret: hs.oauth.clientSecret,
      redirect_uri: REDIRECT_URI,
      access_token: refreshed,
      refresh_token: hs.oauth.refreshToken,
      expires_at: new Date(clock + 1800 * 1000).toISOString(),
    });
  });
});
