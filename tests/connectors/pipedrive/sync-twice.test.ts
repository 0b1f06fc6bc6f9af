import { runSync } from '../../../core/src/integrations/sync-run';
import { connectPipedrive, startWorld, HOOK_TIMEOUT_MS, type PipedriveWorld } from './support';

const PERSONS = 1_200;
const PAGES = 3; // Pipedrive pages of 500

/**
 * A job runner may start a sync's job again while its first run still goes on (a worker whose lock
 * or lease ran out under load is taken for lost). Both runs then walk the same sync: every page must
 * still be stored and counted once.
 */
describe('Pipedrive contact sync run twice at once', () => {
  let w: PipedriveWorld;

  beforeAll(async () => {
    // No worker: the test runs the sync itself, twice.
    w = await startWorld({ worker: false });
    expect((await connectPipedrive(w, { pipeline_id: 2, qualified_stage_id: 13, create_fields: true })).status).toBe(200);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await w.close();
  }, HOOK_TIMEOUT_MS);

  it('stores and counts each page once when a second run overtakes the first', async () => {
    w.pd.seedPersons(PERSONS);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reads = 0;
    // The first run's first page is held until the second run has stored that page and asked for the next.
    w.pd.interceptPersonsList(async () => {
      reads++;
      if (reads === 1) await held;
      if (reads === 3) release();
    });

    const started = await w.t.api('/v1/integrations/pipedrive/sync', { body: { mode: 'once' } });
    expect(started.status).toBe(202);
    const first = runSync(w.t.hub, started.body.id);
    while (reads === 0) await new Promise((r) => setTimeout(r, 10));
    const second = runSync(w.t.hub, started.body.id);
    expect(await Promise.all([first, second])).toEqual(['completed', 'completed']);

    const done = (await w.t.api(`/v1/integrations/pipedrive/syncs/${started.body.id}`)).body;
    expect(done).toMatchObject({ state: 'completed', pages: PAGES, processed: PERSONS, created: PERSONS, updated: 0, failed: 0, links_written: PERSONS });
    const participants = await w.t.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM participants WHERE campaign_id = $1', [w.campaign.id]);
    expect(participants[0].n).toBe(PERSONS);
    // The page the first run read while held was dropped, not stored a second time.
    expect(reads).toBeGreaterThan(PAGES);
  });
});
