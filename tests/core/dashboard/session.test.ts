import { startTestHub, type TestHub } from '../../support/hub';
import { sha256Hex } from '../../../core/src/lib/crypto';

/** A browser-like client: keeps the session cookie and sends it back, no bearer key. */
function browserClient(url: string) {
  let cookie = '';
  return {
    get cookie() {
      return cookie;
    },
    async call(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (cookie) headers.cookie = cookie;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(url + path, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) cookie = setCookie.split(';')[0].endsWith('=') ? '' : setCookie.split(';')[0];
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
    },
  };
}

describe('dashboard sessions', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ worker: false });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('refuses a bad key and a publishable key, and sets no cookie', async () => {
    const b = browserClient(t.url);
    const bad = await b.call('POST', '/app/session', { body: { key: 'rl_sk_nope' } });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ code: 'unauthorized', errors: [{ path: 'key' }] });
    const pk = await b.call('POST', '/app/session', { body: { key: t.publishableKey } });
    expect(pk.status).toBe(403);
    const none = await b.call('POST', '/app/session', { body: {} });
    expect(none.status).toBe(400);
    expect(b.cookie).toBe('');
    expect((await b.call('GET', '/app/session')).status).toBe(401);
  });

  it('exchanges the secret key for an httpOnly SameSite=Strict cookie; only its hash is stored', async () => {
    const b = browserClient(t.url);
    const res = await b.call('POST', '/app/session', { body: { key: t.secretKey } });
    expect(res.status).toBe(201);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^rl_dash=[\w-]{40,}; Path=\/; Max-Age=43200; HttpOnly; SameSite=Strict$/);
    expect(JSON.stringify(res.body)).not.toContain(t.secretKey);
    expect(res.body).toMatchObject({ workspace_id: t.workspaceId, workspace_name: 'Test workspace', csrf_token: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const id = b.cookie.split('=')[1];
    const rows = await t.hub.db.query<{ id_hash: string }>('SELECT id_hash FROM dashboard_sessions');
    expect(rows.map((r) => r.id_hash)).toContain(sha256Hex(id));
    expect(rows.map((r) => r.id_hash)).not.toContain(id);
    expect((await b.call('GET', '/v1/me')).body).toMatchObject({ id: t.workspaceId });
  });

  it('requires the session CSRF token on cookie writes: missing or wrong → 403 and nothing written', async () => {
    const b = browserClient(t.url);
    const { body: session } = await b.call('POST', '/app/session', { body: { key: t.secretKey } });
    const other = browserClient(t.url);
    const { body: otherSession } = await other.call('POST', '/app/session', { body: { key: t.secretKey } });
    const campaign = { name: 'CSRF test', destination_url: 'https://example.com' };

    const missing = await b.call('POST', '/v1/campaigns', { body: campaign });
    expect(missing.status).toBe(403);
    expect(missing.body).toMatchObject({ code: 'forbidden', detail: expect.stringContaining('X-CSRF-Token') });
    const wrong = await b.call('POST', '/v1/campaigns', { body: campaign, headers: { 'x-csrf-token': otherSession.csrf_token } });
    expect(wrong.status).toBe(403);
    const patch = await b.call('PATCH', '/v1/campaigns/cmp_whatever', { body: { name: 'x' } });
    expect(patch.status).toBe(403);
    expect((await t.api('/v1/campaigns')).body.data).toHaveLength(0);

    const ok = await b.call('POST', '/v1/campaigns', { body: campaign, headers: { 'x-csrf-token': session.csrf_token } });
    expect(ok.status).toBe(201);
    expect((await t.api('/v1/campaigns')).body.data).toHaveLength(1);
  });

  it('refuses sign-in from another origin', async () => {
    const b = browserClient(t.url);
    const res = await b.call('POST', '/app/session', { body: { key: t.secretKey }, headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(b.cookie).toBe('');
  });

  it('signs out (with the CSRF token) and ends sessions of a revoked key', async () => {
    const b = browserClient(t.url);
    const { body: session } = await b.call('POST', '/app/session', { body: { key: t.secretKey } });
    const kept = b.cookie;
    expect((await b.call('DELETE', '/app/session')).status).toBe(403);
    expect((await b.call('DELETE', '/app/session', { headers: { 'x-csrf-token': session.csrf_token } })).status).toBe(204);
    expect(b.cookie).toBe('');
    const replay = await fetch(`${t.url}/v1/me`, { headers: { cookie: kept } });
    expect(replay.status).toBe(401);

    const ws = await t.newWorkspace('Revoked');
    const c = browserClient(t.url);
    await c.call('POST', '/app/session', { body: { key: ws.secretKey } });
    expect((await c.call('GET', '/v1/me')).status).toBe(200);
    await t.hub.db.query('UPDATE api_keys SET revoked_at = now() WHERE workspace_id = $1', [ws.workspaceId]);
    expect((await c.call('GET', '/v1/me')).status).toBe(401);
  });

  it('ends a session after 12 hours', async () => {
    const b = browserClient(t.url);
    await b.call('POST', '/app/session', { body: { key: t.secretKey } });
    await t.hub.db.query("UPDATE dashboard_sessions SET expires_at = now() - interval '1 second'");
    expect((await b.call('GET', '/v1/me')).status).toBe(401);
  });

  it('serves the page with a strict CSP and its assets under an immutable, versioned path', async () => {
    const page = await fetch(`${t.url}/app`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    const html = await page.text();
    const src = /src="(\/app\/assets\/[0-9a-f]{12}\/main\.js)"/.exec(html)?.[1];
    expect(src).toBeDefined();
    const asset = await fetch(t.url + src);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${t.url}/app/assets/000000000000/main.js`)).status).toBe(404);
  });
});
