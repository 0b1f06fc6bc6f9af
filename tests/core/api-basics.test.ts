import { dbKinds, startTestHub, type TestHub } from '../support/hub';
import { createCampaign } from '../support/fixtures';

describe.each(dbKinds())('API basics on %s', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db });
  });
  afterAll(async () => t.close());

  it('answers /v1/me with the key’s workspace', async () => {
    const res = await t.api('/v1/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: t.workspaceId, object: 'workspace', name: 'Test workspace', created_at: expect.any(String) });
  });

  it('refuses a missing or wrong key with a 401 problem', async () => {
    const none = await t.api('/v1/me', { key: null });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.body).toMatchObject({ status: 401, code: 'unauthorized', title: expect.any(String), detail: expect.any(String) });
    const wrong = await t.api('/v1/me', { key: 'rl_sk_not-a-real-key' });
    expect(wrong.status).toBe(401);
  });

  it('refuses a publishable key on secret routes', async () => {
    const res = await t.api('/v1/campaigns', { key: t.publishableKey });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await t.api('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', detail: 'No route GET /v1/nothing-here' });
  });

  it('names the failing field and writes nothing on bad input', async () => {
    const res = await t.api('/v1/campaigns', { body: { name: 'X', destination_url: 'not a url', reward_rules: [{ trigger: 'every_nth', kind: 'credit' }] } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['destination_url', 'reward_rules.0.n', 'reward_rules.0.amount', 'reward_rules.0.currency']));
    const list = await t.api('/v1/campaigns');
    expect(list.body.data).toHaveLength(0);
  });

  it('rejects malformed JSON and oversized bodies as problems without stack traces', async () => {
    const bad = await t.api('/v1/campaigns', { body: '{"name": ' });
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toBe('The request body is not valid JSON');
    expect(JSON.stringify(bad.body)).not.toMatch(/at .*\.ts:\d+/);
    const big = await t.api('/v1/campaigns', { body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(big.status).toBe(413);
    expect(big.body.code).toBe('payload_too_large');
  });

  it('replays the first answer for a repeated Idempotency-Key and refuses it with another body', async () => {
    const body = { name: 'Idem', destination_url: 'https://acme.example/' };
    const first = await t.api('/v1/campaigns', { body, headers: { 'Idempotency-Key': 'k-1' } });
    const again = await t.api('/v1/campaigns', { body, headers: { 'Idempotency-Key': 'k-1' } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await t.api('/v1/campaigns', { body: { ...body, name: 'Other' }, headers: { 'Idempotency-Key': 'k-1' } });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('idempotency_mismatch');
    const list = await t.api('/v1/campaigns');
    expect(list.body.data.filter((c: { name: string }) => c.name === 'Idem')).toHaveLength(1);
  });

  it('replays an error answer too, so a retried failing call stays the same', async () => {
    const campaign = await createCampaign(t);
    const body = { campaign_id: campaign.id, email: 'x@example.com', referrer_code: 'NOPE' };
    const first = await t.api('/v1/participants', { body, headers: { 'Idempotency-Key': 'k-err' } });
    const again = await t.api('/v1/participants', { body, headers: { 'Idempotency-Key': 'k-err' } });
    expect(first.status).toBe(400);
    expect(again.status).toBe(400);
    expect(again.body.errors).toEqual(first.body.errors);
  });

  it('keeps workspaces apart: another workspace’s key gets 404 on our ids', async () => {
    const campaign = await createCampaign(t);
    const p = await t.api('/v1/participants', { body: { campaign_id: campaign.id, email: 'iso@example.com' } });
    const other = await t.newWorkspace();
    for (const path of [`/v1/campaigns/${campaign.id}`, `/v1/participants/${p.body.id}`, `/v1/participants/${p.body.code}`, `/v1/campaigns/${campaign.id}/stats`]) {
      const res = await t.api(path, { key: other.secretKey });
      expect(res.status).toBe(404);
    }
    const q = await t.api('/v1/referrals/qualify', { key: other.secretKey, body: { code: p.body.code } });
    expect(q.status).toBe(404);
    const list = await t.api(`/v1/participants?campaign_id=${campaign.id}`, { key: other.secretKey });
    expect(list.body.data).toEqual([]);
    const add = await t.api('/v1/participants', { key: other.secretKey, body: { campaign_id: campaign.id, email: 'sneak@example.com' } });
    expect(add.status).toBe(400);
    expect(add.body.errors[0].path).toBe('campaign_id');
  });

  it('serves health, readiness and an OpenAPI 3.1 document built from the schemas', async () => {
    expect((await t.api('/healthz', { key: null })).body).toEqual({ status: 'ok' });
    expect((await t.api('/readyz', { key: null })).body).toEqual({ status: 'ready', database: db });
    const doc = (await t.api('/openapi.json', { key: null })).body;
    expect(doc.openapi).toBe('3.1.0');
    const op = doc.paths['/v1/participants'].post;
    expect(op.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['campaign_id', 'email']));
    expect(doc.paths['/v1/referrals/qualify'].post.summary).toMatch(/qualify with code/i);
    expect(doc.paths['/v1/participants/{id}'].get.parameters[0]).toMatchObject({ name: 'id', in: 'path', required: true });
  });

  it('describes the snippet, inbound webhook and vendor hook paths with the schemas their handlers parse', async () => {
    const doc = (await t.api('/openapi.json', { key: null })).body;
    const ids = new Set<string>();
    for (const ops of Object.values<Record<string, { operationId: string }>>(doc.paths)) for (const op of Object.values(ops)) ids.add(op.operationId);
    expect(ids.size).toBe(Object.values<object>(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0));

    const identify = doc.paths['/t/v1/identify'].post;
    expect(identify.security).toEqual([{ publishableKey: [] }]);
    expect(identify.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'key', in: 'query', required: false })]));
    expect(Object.keys(identify.requestBody.content)).toEqual(['text/plain', 'application/json']);
    const identifyBody = identify.requestBody.content['text/plain'].schema;
    expect(identifyBody.required).toEqual(['email']);
    expect(Object.keys(identifyBody.properties)).toEqual(expect.arrayContaining(['email', 'first_name', 'external_id', 'ref', 'rl_click']));
    expect(identify.responses['200'].content['application/json'].schema.properties).toMatchObject({ attributed: { type: 'boolean' }, created: { type: 'boolean' } });
    expect(Object.keys(identify.responses)).toEqual(expect.arrayContaining(['401', '403', '429', 'default']));

    const track = doc.paths['/t/v1/track'].post;
    expect(track.requestBody.content['application/json'].schema.properties).toMatchObject({ event: { type: 'string' }, amount: { type: 'integer' }, transaction_id: {}, campaign_id: {} });
    expect(track.responses['201'].content['application/json'].schema.required).toEqual(['conversion_id', 'duplicate', 'referral_qualified']);
    expect(track.responses['200'].description).toMatch(/duplicate/i);

    const inbound = doc.paths['/hooks/inbound/{token}'].post;
    expect(inbound.security).toEqual([]);
    expect(inbound.parameters).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'token', in: 'path', required: true }),
        expect.objectContaining({ name: 'Referloop-Signature', in: 'header', required: false }),
      ]),
    );
    expect(Object.keys(inbound.requestBody.content)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(Object.keys(inbound.requestBody.content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['code', 'email', 'qualified', 'amount', 'currency', 'event', 'event_id', 'reason']),
    );
    expect(inbound.responses['200'].content['application/json'].schema.properties.referral_status).toMatchObject({
      anyOf: expect.arrayContaining([expect.objectContaining({ enum: ['pending', 'qualified', 'unqualified', 'flagged'] })]),
    });

    const vendorHook = doc.paths['/hooks/{vendor}/{token}'].post;
    expect(vendorHook.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'vendor', in: 'path', schema: expect.objectContaining({ enum: ['pipedrive', 'hubspot', 'salesforce', 'stripe'] }) })]));
    expect(vendorHook.responses['200'].content['application/json'].schema.required).toEqual(['received', 'stored', 'duplicates']);
    expect(vendorHook.responses['401'].description).toMatch(/verified/);
  });
});
