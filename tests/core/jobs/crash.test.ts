import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startTestHub, type TestHub } from '../../support/hub';
import { eventually, startReceiver, type Receiver } from '../webhooks/receiver';
import { removeRedisKeys, runnerEnv, runnerKinds } from './runners';

const EVENTS = 2000;
const repoRoot = path.join(__dirname, '../../..');

/** Start `referloop worker` on the test hub's database (and Redis prefix); resolves once it runs. */
function startWorker(t: TestHub, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'core/bin/referloop.js'), 'worker'], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      ...env,
      DATABASE_URL: process.env.DATABASE_URL,
      DATABASE_SCHEMA: t.hub.config.DATABASE_SCHEMA,
      REDIS_PREFIX: t.hub.config.REDIS_PREFIX,
      ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
      LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('worker running')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it ran: ${err}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

// A separate worker process needs a database two processes can open: Postgres.
(process.env.DATABASE_URL ? describe.each(runnerKinds()) : describe.skip.each(runnerKinds()))('crash recovery (%s runner)', (runner) => {
  let t: TestHub;
  let receiver: Receiver;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    // The hub serves the API only; every background part runs in the worker processes.
    t = await startTestHub({ db: 'postgres', env: runnerEnv(runner), worker: false });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await Promise.all(workers.map(exited));
    if (runner === 'bullmq') await removeRedisKeys(t.hub.config.REDIS_PREFIX);
    await t.close();
    await receiver.close();
  });

  it(`delivers all ${EVENTS} events at least once across a SIGKILL of the worker`, async () => {
    const campaign = (await t.api('/v1/campaigns', { body: { name: 'Crash', destination_url: 'https://shop.example.com/' } })).body;
    const hook = (await t.api('/v1/webhooks', { body: { url: receiver.url, events: ['participant.created'] } })).body;
    const env = runnerEnv(runner);
    workers.push(await startWorker(t, env));

    // Events come through the API in bulk: a CSV upload of 1,000 people is 1,000 participant.created events.
    const upload = async (from: number) => {
      const rows = Array.from({ length: EVENTS / 2 }, (_, i) => `crash${from + i}@example.com`);
      const res = await fetch(`${t.url}/v1/imports/participants?campaign_id=${campaign.id}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.secretKey}`, 'content-type': 'text/csv' },
        body: ['email', ...rows].join('\n'),
      });
      expect(res.status).toBe(200);
    };
    await upload(0);

    // Kill the worker mid-delivery; the second half is committed while no worker runs; a new one takes over.
    await receiver.waitFor((all) => all.length >= EVENTS / 8, 60_000);
    workers[0].kill('SIGKILL');
    await exited(workers[0]);
    const atKill = receiver.received.length;
    await upload(EVENTS / 2);
    workers.push(await startWorker(t, env));

    const ids = (await t.hub.db.query<{ id: string }>("SELECT id FROM events WHERE type = 'participant.created' AND workspace_id = $1", [t.workspaceId])).map((r) => r.id);
    expect(ids).toHaveLength(EVENTS);
    const want = new Set(ids);
    await receiver.waitFor((all) => new Set(all.map((r) => r.headers['referloop-event-id'])).size >= EVENTS, 90_000);
    const got = new Set(receiver.received.map((r) => String(r.headers['referloop-event-id'])));
    expect(got.size).toBe(EVENTS);
    for (const id of want) expect(got.has(id)).toBe(true);
    expect(atKill).toBeLessThan(EVENTS);
    // One delivery per event, each settled as succeeded in the log (the last ones a moment after they arrived).
    const counts = await eventually(async () => {
      const [c] = await t.hub.db.query<{ ok: number; total: number }>(
        "SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS ok, count(*)::int AS total FROM webhook_deliveries WHERE endpoint_id = $1",
        [hook.id],
      );
      return c.ok === EVENTS ? c : null;
    });
    expect(counts.total).toBe(EVENTS);
  }, 180_000);
});
