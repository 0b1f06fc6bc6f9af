import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { startTestHub, type TestHub } from '../../support/hub';
import { startReceiver, type Receiver } from '../webhooks/receiver';
import { runnerEnv, runnerKinds } from './runners';

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
    await t.close();
    await receiver.close();
  });

  it(`delivers all ${EVENTS} events at least once across a SIGKILL of the worker`, async () => {
    const campaign = (await t.api('/v1/campaigns', { body: { name: 'Crash', destination_url: 'https://shop.example.com/' } })).body;
    const hook = (await t.api('/v1/webhooks', { body: { url: receiver.url, events: ['participant.created', 'referral.created'] } })).body;
    const env = runnerEnv(runner);
    workers.push(await startWorker(t, env));

    // Produce the events through the API, 8 requests at a time: a referrer, then friends who each
    // bring two events (participant.created and referral.created), and one more direct sign-up.
    const referrer = (await t.api('/v1/participants', { body: { campaign_id: campaign.id, email: 'referrer@example.com' } })).body;
    const friends = (EVENTS - 2) / 2;
    let next = 0;
    const produce = async () => {
      while (next < friends) {
        const i = next++;
        const res = await t.api('/v1/participants', { body: { campaign_id: campaign.id, email: `friend${i}@example.com`, referrer_code: referrer.code } });
        if (res.status !== 201) throw new Error(`participant ${i}: ${res.status}`);
      }
    };
    const producing = Promise.all(Array.from({ length: 8 }, produce)).then(() =>
      t.api('/v1/participants', { body: { campaign_id: campaign.id, email: 'last@example.com' } }),
    );

    // Kill the worker part-way, mid-delivery, then start a new one.
    await receiver.waitFor((all) => all.length >= EVENTS / 4, 60_000);
    workers[0].kill('SIGKILL');
    await exited(workers[0]);
    const atKill = receiver.received.length;
    workers.push(await startWorker(t, env));
    await producing;

    const ids = (await t.hub.db.query<{ id: string }>("SELECT id FROM events WHERE type IN ('participant.created', 'referral.created') AND workspace_id = $1", [t.workspaceId])).map(
      (r) => r.id,
    );
    expect(ids).toHaveLength(EVENTS);
    const want = new Set(ids);
    await receiver.waitFor((all) => new Set(all.map((r) => r.headers['referloop-event-id'])).size >= EVENTS, 90_000);
    const got = new Set(receiver.received.map((r) => String(r.headers['referloop-event-id'])));
    expect(got.size).toBe(EVENTS);
    for (const id of want) expect(got.has(id)).toBe(true);
    expect(atKill).toBeLessThan(EVENTS);
    // Every delivery is settled as succeeded in the log.
    const [counts] = await t.hub.db.query<{ ok: number; total: number }>(
      "SELECT count(*) FILTER (WHERE status = 'succeeded')::int AS ok, count(*)::int AS total FROM webhook_deliveries WHERE endpoint_id = $1",
      [hook.id],
    );
    expect(counts.total).toBe(EVENTS);
    expect(counts.ok).toBe(EVENTS);
  }, 180_000);
});
