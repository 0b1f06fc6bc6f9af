import { dbKinds } from '../../support/hub';
import { startIntegrationEnv, VENDOR, waitFor, type IntegrationEnv, type Scenario } from './support/setup';

describe.each(dbKinds())('contact syncs: vendor contacts become imported participants, links go back in batches (%s)', (db) => {
  let env: IntegrationEnv;
  let s: Scenario;
  beforeAll(async () => {
    env = await startIntegrationEnv(db);
  });
  beforeEach(async () => {
    s = await env.scenario();
    await s.connect();
  });
  afterAll(async () => env.close());

  const finished = (id: string) =>
    waitFor(async () => {
      const res = await s.api(`/v1/integrations/${VENDOR}/syncs/${id}`);
      return ['completed', 'failed', 'cancelled'].includes(res.body.state) ? res.body : null;
    }, `sync ${id}`, 30_000);

  it('imports every contact page by page, writes links back in batches, and shows progress, through a 429', async () => {
    s.crm.seedContacts(230);
    // The vendor rate-limits a page once: the sync waits as told and carries on.
    s.crm.fake.fail('GET /api/contacts', { status: 429, headers: { 'retry-after': '1' } });
    const started = await s.api(`/v1/integrations/${VENDOR}/sync`, { body: { mode: 'once' } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ object: 'sync_run', state: 'queued', mode: 'once', campaign_id: s.campaignId, processed: 0 });
    const done = await finished(started.body.id);
    const listCalls = s.crm.fake.requestsTo('GET /api/contacts');
    expect(done).toMatchObject({ state: 'completed', total: 230, processed: 230, created: 230, updated: 0, failed: 0, links_written: 230, pages: 5, cursor: null, failures: [] });
    // 5 pages of 50 plus the one refused with a 429; 230 links in batches of at most 25.
    expect(listCalls).toHaveLength(6);
    expect(listCalls[1].at - listCalls[0].at).toBeGreaterThanOrEqual(1000);
    const batches = s.crm.fake.requestsTo('POST /api/contacts/batch');
    expect(batches).toHaveLength(10);
    expect(Math.max(...batches.map((b) => (b.body as { updates: unknown[] }).updates.length))).toBeLessThanOrEqual(25);
    for (const c of s.crm.contacts.values()) expect(c.referral_link).toMatch(/\/r\/[A-Z0-9-]+$/);
    const people = await s.api(`/v1/participants?campaign_id=${s.campaignId}&type=imported&limit=100`);
    expect(people.body.data).toHaveLength(100);
    const one = people.body.data[0];
    expect(s.crm.contacts.get(one.crm[VENDOR].ids.contact)).toMatchObject({ email: one.email, referral_code: one.code, referral_link: one.referral_link });
  });

  it('a second sync finds everyone already there: updated, not created twice', async () => {
    s.crm.seedContacts(60);
    await finished((await s.api(`/v1/integrations/${VENDOR}/sync`, { body: {} })).body.id);
    const again = await finished((await s.api(`/v1/integrations/${VENDOR}/sync`, { body: {} })).body.id);
    expect(again).toMatchObject({ state: 'completed', processed: 60, created: 0, updated: 60 });
    const [{ n }] = await env.t.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM participants WHERE workspace_id = $1', [s.workspaceId]);
    expect(n).toBe(60);
  });

  it('records contacts that cannot be imported as failures, with the reason', async () => {
    s.crm.seedContacts(3);
    [...s.crm.contacts.values()][1].email = 'not-an-email';
    const done = await finished((await s.api(`/v1/integrations/${VENDOR}/sync`, { body: {} })).body.id);
    expect(done).toMatchObject({ processed: 3, created: 2, failed: 1, links_written: 2 });
    expect(done.failures).toEqual([{ contact_id: [...s.crm.contacts.keys()][1], message: expect.stringContaining('email') }]);
  });

  it('validates the request: the filter against the vendor, the campaign, one sync at a time', async () => {
    const badFilter = await s.api(`/v1/integrations/${VENDOR}/sync`, { body: { filter: { bogus: 1 } } });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.errors[0].path).toMatch(/^filter/);
    const badCampaign = await s.api(`/v1/integrations/${VENDOR}/sync`, { body: { campaign_id: 'cmp_nope' } });
    expect(badCampaign.body.errors).toEqual([{ path: 'campaign_id', message: "no campaign 'cmp_nope' in this workspace" }]);
    await s.api('/v1/campaigns', { body: { name: 'Second', destination_url: 'https://shop.example.com/' } });
    const ambiguous = await s.api(`/v1/integrations/${VENDOR}/sync`, { body: {} });
    expect(ambiguous.body.errors[0].path).toBe('campaign_id');

    s.crm.seedContacts(10);
    // Hold the first page so the sync is still running when the second request comes.
    s.crm.fake.fail('GET /api/contacts', { delayMs: 800 });
    const first = await s.api(`/v1/integrations/${VENDOR}/sync`, { body: { campaign_id: s.campaignId, filter: { stage: 'new' } } });
    const second = await s.api(`/v1/integrations/${VENDOR}/sync`, { body: { campaign_id: s.campaignId } });
    expect(second.status).toBe(409);
    expect(second.body.sync_id).toBe(first.body.id);
    expect(await finished(first.body.id)).toMatchObject({ state: 'completed', processed: 10, filter: { stage: 'new' }, total: null });
    const listed = await s.api(`/v1/integrations/${VENDOR}/syncs`);
    expect(listed.body.data.map((r: { id: string }) => r.id)).toEqual([first.body.id]);
  });

  it('stops a running sync when the integration is disconnected, keeping what it imported', async () => {
    s.crm.seedContacts(150);
    s.crm.fake.fail('GET /api/contacts', { delayMs: 400 }, 3);
    const started = await s.api(`/v1/integrations/${VENDOR}/sync`, { body: {} });
    await waitFor(async () => (await s.api(`/v1/integrations/${VENDOR}/syncs/${started.body.id}`)).body.pages >= 1, 'first page');
    await s.api(`/v1/integrations/${VENDOR}`, { method: 'DELETE' });
    const done = await finished(started.body.id);
    expect(done.state).toBe('cancelled');
    expect(done.processed).toBeGreaterThanOrEqual(50);
    expect(done.processed).toBeLessThan(150);
    const [{ n }] = await env.t.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM participants WHERE workspace_id = $1', [s.workspaceId]);
    expect(n).toBe(done.processed);
  });
});
