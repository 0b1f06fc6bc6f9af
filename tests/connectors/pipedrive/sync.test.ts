import { startBackground, type Background } from '../../../core/src/jobs/background';
import { connectPipedrive, eventsSettled, participant, startWorld, waitFor, HOOK_TIMEOUT_MS, type PipedriveWorld } from './support';

const PERSONS = 5_000;
const PAGE = 500;

describe('Pipedrive contact sync', () => {
  let w: PipedriveWorld;
  let worker: Background;
  let linkKey: string;
  let codeKey: string;
  const run = () => startBackground(w.t.hub, { retryDelayScale: 0.001 });
  const sync = async (id: string) => (await w.t.api(`/v1/integrations/pipedrive/syncs/${id}`)).body;

  beforeAll(async () => {
    // The worker is ours to start and kill.
    w = await startWorld({ worker: false });
    worker = await run();
    const res = await connectPipedrive(w, { pipeline_id: 2, qualified_stage_id: 13, create_fields: true });
    expect(res.status).toBe(200);
    linkKey = w.pd.state.personFields.find((f) => f.name === 'Referral link')!.key;
    codeKey = w.pd.state.personFields.find((f) => f.name === 'Referral code')!.key;
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await w.close();
  }, HOOK_TIMEOUT_MS);

  it('imports 5,000 persons with a 429 in the middle, resumes from its cursor after the worker is killed, and writes every link back', async () => {
    w.pd.seedPersons(PERSONS);
    const seen: Array<{ n: number; cursor: string | null; at: number }> = [];
    let killed!: () => void;
    const reachedKill = new Promise<void>((resolve) => (killed = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    w.pd.interceptPersonsList(async (req) => {
      const n = seen.push({ n: seen.length + 1, cursor: req.query.cursor ?? null, at: Date.now() });
      // Page 4: Pipedrive's rate limit, told only by its headers (no Retry-After).
      if (n === 4) return { status: 429, headers: { 'x-ratelimit-limit': '80', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' }, body: { success: false, error: 'Request over limit', data: null } };
      // Page 6: held while the worker is killed.
      if (n === 7) {
        killed();
        await held;
      }
    });

    const started = await w.t.api('/v1/integrations/pipedrive/sync', { body: { mode: 'once' } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ object: 'sync_run', state: 'queued', campaign_id: w.campaign.id });
    const id = started.body.id;

    await reachedKill;
    await worker.stop();
    release();
    const cut = await sync(id);
    expect(cut).toMatchObject({ state: 'running', pages: 5, processed: 5 * PAGE, links_written: 5 * PAGE });
    expect(cut.cursor).toBe(seen[6].cursor);

    worker = await run();
    const done = await waitFor('the sync to complete', async () => {
      const s = await sync(id);
      return s.state === 'completed' ? s : null;
    }, 460_000);
    expect(done).toMatchObject({ processed: PERSONS, created: PERSONS, updated: 0, failed: 0, links_written: PERSONS, pages: PERSONS / PAGE, cursor: null, last_error: null });

    // The 429's reset header was honoured: the retry waited the 2 s it asked for.
    expect(seen[4].cursor).toBe(seen[3].cursor);
    expect(seen[4].at - seen[3].at).toBeGreaterThanOrEqual(1_900);
    // Resumed from the stored cursor: no page was read again except the refused one and the one the kill cut.
    const reads = new Map<string | null, number>();
    for (const s of seen) reads.set(s.cursor, (reads.get(s.cursor) ?? 0) + 1);
    expect(seen).toHaveLength(12);
    expect([...reads.values()].sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2]);
    expect(reads.get(seen[3].cursor)).toBe(2);
    expect(reads.get(seen[6].cursor)).toBe(2);

    const [{ count }] = await w.t.hub.db.query<{ count: number }>("SELECT count(*)::int AS count FROM participants WHERE campaign_id = $1 AND type = 'imported'", [w.campaign.id]);
    expect(count).toBe(PERSONS);
    const links = await w.t.hub.db.query<{ code: string; person: string }>("SELECT code, crm->'pipedrive'->'ids'->>'person' AS person FROM participants WHERE campaign_id = $1", [w.campaign.id]);
    expect(new Set(links.map((l) => l.person)).size).toBe(PERSONS);
    for (const { code, person } of links) {
      const p = w.pd.state.persons.get(Number(person))!;
      expect(p.custom_fields[codeKey]).toBe(code);
      expect(p.custom_fields[linkKey]).toBe(`${w.t.url}/r/${code}`);
    }
    // Imported persons are not pushed back as new deals.
    expect(w.pd.state.deals.size).toBe(0);
    w.pd.interceptPersonsList(null);
    // Importing 5,000 participants takes a while on a busy 2-core machine.
  }, 480_000);

  it('keeps an ongoing sync: a person created in Pipedrive becomes a participant with its link written back', async () => {
    // An ongoing sync over a saved filter (empty for now), then a person is added in Pipedrive.
    w.pd.state.filters.set(77, (p) => p.emails.some((e) => e.value.endsWith('@vip.example')));
    const started = await w.t.api('/v1/integrations/pipedrive/sync', { body: { mode: 'ongoing', filter: { filter_id: 77 } } });
    expect(started.status).toBe(202);
    await waitFor('the ongoing sync walk', async () => ((await sync(started.body.id)).state === 'completed' ? true : null));
    expect(w.pd.fake.requestsTo('GET /api/v2/persons').pop()!.query).toMatchObject({ filter_id: '77', limit: String(PAGE) });

    const { person, deliveries } = await w.pd.addPerson({ name: 'Vic Vip', email: 'vic@vip.example' });
    expect(deliveries).toEqual([expect.objectContaining({ status: 200, response: expect.objectContaining({ stored: 1 }) })]);
    await eventsSettled(w.t, 1);
    const linked = await waitFor('the link on the new person', async () => person.custom_fields[linkKey] ?? null);
    const res = await w.t.api(`/v1/participants?campaign_id=${w.campaign.id}&email=vic@vip.example`);
    const p = await participant(w.t, res.body.data[0].id);
    expect(p).toMatchObject({ type: 'imported', first_name: 'Vic', last_name: 'Vip' });
    expect(linked).toBe(p.referral_link);
    expect(p.crm.pipedrive.ids).toEqual({ person: String(person.id) });
  });

  it('catches up on a person whose create-person webhook never arrived', async () => {
    await worker.stop();
    worker = await startBackground(w.t.hub, { retryDelayScale: 0.001, every: { 'crm.poll': 100 } });
    const res = await connectPipedrive(w, { pipeline_id: 2, qualified_stage_id: 13, create_fields: true, catch_up_every_seconds: 1 });
    expect(res.status).toBe(200);
    // The first look only marks the time; persons added after it are caught by the next ones.
    await waitFor('the first catch-up look', async () => (await w.t.hub.db.query("SELECT 1 FROM install_settings WHERE key LIKE 'integration:%:poll_cursor:%'")).length > 0);
    const { person } = await w.pd.addPerson({ name: 'Mia Missed', email: 'mia@vip.example' }, { deliver: false });
    const linked = await waitFor('the catch-up import', async () => person.custom_fields[linkKey] ?? null, 20_000);
    const found = await w.t.api(`/v1/participants?campaign_id=${w.campaign.id}&email=mia@vip.example`);
    expect(found.body.data).toEqual([expect.objectContaining({ type: 'imported', referral_link: linked })]);
    expect(w.pd.fake.requestsTo('GET /api/v2/persons').some((r) => r.query.updated_since !== undefined)).toBe(true);
    const events = await w.t.hub.db.query<{ vendor_event_id: string; status: string }>("SELECT vendor_event_id, status FROM vendor_events WHERE vendor_event_id = $1", [`person:${person.id}:created`]);
    expect(events).toEqual([{ vendor_event_id: `person:${person.id}:created`, status: 'applied' }]);
  });

  it('rejects a filter that is not a Pipedrive filter id', async () => {
    const res = await w.t.api('/v1/integrations/pipedrive/sync', { body: { filter: { list: 'vips' } } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toMatch(/^filter/);
  });
});
