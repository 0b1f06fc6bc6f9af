import { gzipSync } from 'node:zlib';
import { startTestHub, type TestHub } from '../../support/hub';
import { addParticipant, createCampaign } from './helpers';

const SHOP = 'https://shop.example.com';

describe('tracking snippet routes', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t.close());

  /** POST like the snippet does: text/plain JSON, key in the query, the page's Origin. */
  async function send(path: string, body: Record<string, unknown>, opts: { origin?: string | null; key?: string; ip?: string } = {}) {
    const headers: Record<string, string> = { 'content-type': 'text/plain;charset=UTF-8' };
    const origin = opts.origin === undefined ? SHOP : opts.origin;
    if (origin) headers.origin = origin;
    if (opts.ip) headers['x-forwarded-for'] = opts.ip;
    const res = await fetch(`${t.url}${path}?key=${encodeURIComponent(opts.key ?? t.publishableKey)}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null, acao: res.headers.get('access-control-allow-origin') };
  }

  /** A referrer's link clicked: the ref and rl_click a landing page sees. */
  async function land(campaignId: string, email: string) {
    const ann = await addParticipant(t, campaignId, email);
    const r = await fetch(ann.referral_link, { redirect: 'manual' });
    const loc = new URL(r.headers.get('location')!);
    return { ann, ref: loc.searchParams.get('ref')!, rl_click: loc.searchParams.get('rl_click')! };
  }

  it('serves /t.js small, cached and gzipped', async () => {
    const res = await fetch(`${t.url}/t.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toMatch(/public, max-age=\d+/);
    const source = await res.text();
    expect(source).toContain("referloop.loaded = true");
    expect(gzipSync(source).length).toBeLessThan(6 * 1024);
    expect(source).not.toMatch(/\brequire\(|\bimport\s/);
    const again = await fetch(`${t.url}/t.js`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('identify creates the referred participant of the landing, for an allowed origin', async () => {
    const c = await createCampaign(t, { allowed_origins: ['https://www.example.org'] });
    const { ann, ref, rl_click } = await land(c.id, 'ann.id@example.com');
    const res = await send('/t/v1/identify', { email: 'bob.id@example.com', first_name: 'Bob', ref, rl_click }, { origin: 'https://www.example.org' });
    expect(res.status).toBe(200);
    expect(res.acao).toBe('https://www.example.org');
    expect(res.body).toEqual({ attributed: true, created: true });
    const found = (await t.api(`/v1/participants?email=bob.id@example.com`)).body.data;
    expect(found).toEqual([expect.objectContaining({ type: 'referred', referrer_id: ann.id, referral_status: 'pending', click_id: rl_click, first_name: 'Bob' })]);
    const timeline = (await t.api(`/v1/participants/${found[0].id}/timeline`)).body.data;
    expect(timeline.find((e: any) => e.kind === 'signup').source).toBe('snippet');
  });

  it('identify without a landing writes nothing', async () => {
    const res = await send('/t/v1/identify', { email: 'nobody.id@example.com' });
    expect(res.body).toEqual({ attributed: false, created: false });
    expect((await t.api('/v1/participants?email=nobody.id@example.com')).body.data).toEqual([]);
  });

  it('refuses a foreign origin (no CORS header) and writes nothing', async () => {
    const c = await createCampaign(t);
    const { ref, rl_click } = await land(c.id, 'ann.cors@example.com');
    const evil = await send('/t/v1/identify', { email: 'bob.cors@example.com', ref, rl_click }, { origin: 'https://evil.example.net' });
    expect(evil.status).toBe(403);
    expect(evil.acao).toBeNull();
    const none = await send('/t/v1/identify', { email: 'bob.cors@example.com', ref, rl_click }, { origin: null });
    expect(none.status).toBe(403);
    const track = await send('/t/v1/track', { event: 'purchase', email: 'ann.cors@example.com' }, { origin: 'https://evil.example.net' });
    expect(track.status).toBe(403);
    expect((await t.api('/v1/participants?email=bob.cors@example.com')).body.data).toEqual([]);
    expect((await t.api(`/v1/conversions?campaign_id=${c.id}`)).body.data).toEqual([]);

    const preflight = await fetch(`${t.url}/t/v1/track?key=${t.publishableKey}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const good = await fetch(`${t.url}/t/v1/track?key=${t.publishableKey}`, { method: 'OPTIONS', headers: { origin: SHOP, 'access-control-request-method': 'POST' } });
    expect(good.status).toBe(204);
    expect(good.headers.get('access-control-allow-origin')).toBe(SHOP);
  });

  it('accepts only a publishable key', async () => {
    expect((await send('/t/v1/track', { event: 'purchase', email: 'a@example.com' }, { key: t.secretKey })).status).toBe(403);
    expect((await send('/t/v1/track', { event: 'purchase', email: 'a@example.com' }, { key: 'rl_pk_nope' })).status).toBe(401);
    const other = await t.newWorkspace();
    const c = await createCampaign(t);
    await addParticipant(t, c.id, 'ann.ws@example.com');
    // Another workspace's key cannot see this workspace's people.
    const res = await send('/t/v1/track', { event: 'purchase', email: 'ann.ws@example.com' }, { key: other.publishableKey });
    expect(res.status).toBe(404);
  });

  it('track records a deduped conversion that qualifies by the goal', async () => {
    const c = await createCampaign(t, { goal: { event: 'purchase', min_amount: 1000, currency: 'USD' } });
    const { ref, rl_click } = await land(c.id, 'ann.track@example.com');
    // Never identified: the purchase itself makes the visitor the referred participant.
    const first = await send('/t/v1/track', { event: 'purchase', email: 'bob.track@example.com', amount: 1500, currency: 'usd', transaction_id: 'T-1', ref, rl_click });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ duplicate: false, referral_qualified: true });
    const again = await send('/t/v1/track', { event: 'purchase', email: 'bob.track@example.com', amount: 1500, currency: 'usd', transaction_id: 'T-1', ref, rl_click });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ conversion_id: first.body.conversion_id, duplicate: true, referral_qualified: false });
    const bob = (await t.api('/v1/participants?email=bob.track@example.com')).body.data[0];
    expect(bob).toMatchObject({ type: 'referred', referral_status: 'qualified' });
    const conversion = (await t.api(`/v1/conversions/${first.body.conversion_id}`)).body;
    expect(conversion).toMatchObject({ source: 'snippet', amount: 1500, currency: 'USD', participant_id: bob.id });
  });

  it('names the failing field of a bad track', async () => {
    const res = await send('/t/v1/track', { event: 'purchase', email: 'x@example.com', amount: 10 });
    expect([res.status, res.body.errors[0].path]).toEqual([400, 'currency']);
    const noWho = await send('/t/v1/track', { event: 'purchase' });
    expect([noWho.status, noWho.body.errors[0].path]).toEqual([400, 'email']);
  });
});

describe('tracking rate limit', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t.close());

  it('answers 429 with Retry-After once one IP sends too many requests; other IPs go on', async () => {
    const hit = (ip: string) =>
      fetch(`${t.url}/t/v1/identify?key=${t.publishableKey}`, {
        method: 'POST',
        headers: { origin: 'https://shop.example.com', 'x-forwarded-for': ip },
        body: JSON.stringify({ email: 'v@example.com' }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 125; i++) statuses.push((await hit('203.0.113.7')).status);
    expect(statuses.slice(0, 120).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(120)).toEqual([429, 429, 429, 429, 429]);
    const limited = await hit('203.0.113.7');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await hit('198.51.100.1')).status).toBe(200);
  });
});
