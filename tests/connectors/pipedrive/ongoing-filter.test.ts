import { dbKinds } from '../../support/hub';
import { connectPipedrive, startWorld, waitFor, HOOK_TIMEOUT_MS, type PipedriveWorld } from './support';

const VIP_FILTER = 77;

describe.each(dbKinds())('Pipedrive ongoing sync over a saved filter on %s', (db) => {
  let w: PipedriveWorld;
  let linkKey: string;

  beforeAll(async () => {
    // The catch-up is offered every 100 ms and looks once a second, so it runs within the test.
    w = await startWorld({ db, worker: { retryDelayScale: 0.001, every: { 'crm.poll': 100 } } });
    const res = await connectPipedrive(w, { pipeline_id: 2, qualified_stage_id: 13, create_fields: true, catch_up_every_seconds: 1 });
    expect(res.status).toBe(200);
    linkKey = w.pd.state.personFields.find((f) => f.name === 'Referral link')!.key;
    w.pd.state.filters.set(VIP_FILTER, (p) => p.emails.some((e) => e.value.endsWith('@vip.example')));
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await w.close();
  }, HOOK_TIMEOUT_MS);

  const emailsInCampaign = async () => {
    const res = await w.t.api(`/v1/participants?campaign_id=${w.campaign.id}&limit=100`);
    return res.body.data.map((p: { email: string }) => p.email).sort();
  };
  const eventOf = async (personId: number) => {
    const [row] = await w.t.hub.db.query<{ status: string; outcome: string | null }>('SELECT status, outcome FROM vendor_events WHERE vendor_event_id = $1', [`person:${personId}:created`]);
    return row ?? null;
  };

  it('imports only the filter’s persons afterwards, whether they arrive by webhook or by catch-up', async () => {
    await w.pd.addPerson({ name: 'Vera Before', email: 'vera@vip.example' }, { deliver: false });
    await w.pd.addPerson({ name: 'Paul Before', email: 'paul@plain.example' }, { deliver: false });
    const started = await w.t.api('/v1/integrations/pipedrive/sync', { body: { mode: 'ongoing', filter: { filter_id: VIP_FILTER } } });
    expect(started.status).toBe(202);
    const syncUrl = `/v1/integrations/pipedrive/syncs/${started.body.id}`;
    await waitFor('the first walk', async () => ((await w.t.api(syncUrl)).body.state === 'completed' ? true : null));
    expect(await emailsInCampaign()).toEqual(['vera@vip.example']);
    // The first catch-up look only marks the time; persons added after it are caught by the next ones.
    await waitFor('the first catch-up look', async () => (await w.t.hub.db.query("SELECT 1 FROM install_settings WHERE key LIKE 'integration:%:poll_cursor:%'")).length > 0);

    const { person: otto, deliveries } = await w.pd.addPerson({ name: 'Otto Outside', email: 'otto@plain.example' });
    expect(deliveries).toEqual([expect.objectContaining({ status: 200, response: expect.objectContaining({ stored: 1 }) })]);
    const { person: vic } = await w.pd.addPerson({ name: 'Vic Vip', email: 'vic@vip.example' });
    const { person: olga } = await w.pd.addPerson({ name: 'Olga Outside', email: 'olga@plain.example' }, { deliver: false });
    const { person: ivy } = await w.pd.addPerson({ name: 'Ivy Inside', email: 'ivy@vip.example' }, { deliver: false });

    await waitFor('the webhook member linked', async () => vic.custom_fields[linkKey] ?? null);
    await waitFor('the catch-up member linked', async () => ivy.custom_fields[linkKey] ?? null, 30_000);
    for (const outsider of [otto, olga]) {
      const event = await waitFor(`person ${outsider.id} settled`, async () => {
        const row = await eventOf(outsider.id);
        return row && row.status !== 'received' ? row : null;
      });
      expect(event).toEqual({ status: 'ignored', outcome: `person ${outsider.id} is not in the ongoing sync's filter {"filter_id":${VIP_FILTER}}` });
      expect(outsider.custom_fields[linkKey]).toBeUndefined();
    }
    expect(await eventOf(vic.id)).toMatchObject({ status: 'applied', outcome: 'contact created' });
    expect(await eventOf(ivy.id)).toMatchObject({ status: 'applied', outcome: 'contact created' });
    expect(await emailsInCampaign()).toEqual(['ivy@vip.example', 'vera@vip.example', 'vic@vip.example']);

    // The filter stayed with the run: it is what the run shows, and what Pipedrive was asked with.
    const run = (await w.t.api(syncUrl)).body;
    expect(run).toMatchObject({ mode: 'ongoing', filter: { filter_id: VIP_FILTER }, created: 3 });
    const checks = w.pd.fake.requestsTo('GET /api/v2/persons').filter((r) => r.query.updated_since !== undefined && r.query.filter_id !== undefined);
    expect(checks.length).toBeGreaterThanOrEqual(4);
    expect(checks.every((r) => r.query.filter_id === String(VIP_FILTER))).toBe(true);
  });

  it('keeps importing every new person when the ongoing sync has no filter', async () => {
    const started = await w.t.api('/v1/integrations/pipedrive/sync', { body: { mode: 'ongoing' } });
    expect(started.status).toBe(202);
    await waitFor('the unfiltered walk', async () => ((await w.t.api(`/v1/integrations/pipedrive/syncs/${started.body.id}`)).body.state === 'completed' ? true : null));
    const { person } = await w.pd.addPerson({ name: 'Nora New', email: 'nora@plain.example' });
    await waitFor('the new person linked', async () => person.custom_fields[linkKey] ?? null);
    expect(await eventOf(person.id)).toMatchObject({ status: 'applied', outcome: 'contact created' });
  });
});
