import { emitEvent } from '../../../core/src/events/emit';
import { enqueue } from '../../../core/src/jobs/enqueue';
import { startTestHub, type TestHub } from '../../support/hub';
import { eventually, startReceiver, type Receiver } from '../webhooks/receiver';
import { runnerEnv, runnerKinds } from './runners';

const DAY_MS = 86_400_000;

describe.each(runnerKinds())('background jobs (%s runner)', (runner) => {
  let t: TestHub;
  let receiver: Receiver;
  let campaignId: string;
  let clockOffset = 0;

  beforeAll(async () => {
    t = await startTestHub({ env: runnerEnv(runner), now: () => new Date(Date.now() + clockOffset), worker: { every: { 'rewards.release': 300 } } });
    receiver = await startReceiver();
    campaignId = (
      await t.api('/v1/campaigns', {
        body: {
          name: 'Held rewards',
          destination_url: 'https://shop.example.com/',
          reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 500, currency: 'EUR', hold_days: 14 }],
        },
      })
    ).body.id;
    await t.api('/v1/webhooks', { body: { url: receiver.url, events: ['*'] } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('runs what a committed transaction enqueued, and nothing of a rolled-back one', async () => {
    await expect(
      t.hub.db.tx(async (q) => {
        await emitEvent(q, t.hub, { workspaceId: t.workspaceId, campaignId, type: 'participant.created', data: { rolled: 'back' } });
        throw new Error('the change fails');
      }),
    ).rejects.toThrow('the change fails');
    const p = (await t.api('/v1/participants', { body: { campaign_id: campaignId, email: 'kept@example.com' } })).body;
    await receiver.waitFor((all) => all.some((r) => r.json?.data?.id === p.id));
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received.some((r) => r.json?.data?.rolled === 'back')).toBe(false);
  });

  it('validates payloads when enqueued: nothing is written for a bad one', async () => {
    const before = await t.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
    await expect(t.hub.db.tx((q) => enqueue(q, 'webhook.deliver', { delivery: 'x' }))).rejects.toThrow(/invalid payload for job webhook.deliver: delivery_id/);
    await expect(t.hub.db.tx((q) => enqueue(q, 'no.such_job', {}))).rejects.toThrow(/unknown job type 'no.such_job'/);
    const after = await t.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
    expect(after[0].n).toBe(before[0].n);
  });

  it('releases a held reward on its release date through the scheduled job', async () => {
    const ann = (await t.api('/v1/participants', { body: { campaign_id: campaignId, email: 'ann@example.com' } })).body;
    const bob = (await t.api('/v1/participants', { body: { campaign_id: campaignId, email: 'bob@example.com', referrer_code: ann.code } })).body;
    const q = await t.api('/v1/referrals/qualify', { body: { code: bob.code } });
    const reward = q.body.rewards[0];
    expect(reward.status).toBe('delayed');
    expect(Date.parse(reward.release_at) - Date.now()).toBeGreaterThan(13 * DAY_MS);
    // The job runs every 300 ms here; nothing is due yet.
    await new Promise((r) => setTimeout(r, 900));
    expect((await t.api(`/v1/rewards/${reward.id}`)).body.status).toBe('delayed');
    clockOffset = 15 * DAY_MS;
    const released = await eventually(async () => {
      const r = (await t.api(`/v1/rewards/${reward.id}`)).body;
      return r.status === 'approved' ? r : null;
    }, 20_000);
    expect(released.id).toBe(reward.id);
    const delivered = await receiver.waitFor((all) => all.some((r) => r.json?.type === 'reward.approved' && r.json.data.id === reward.id));
    expect(delivered.find((r) => r.json?.type === 'reward.approved')?.json.data.referrer.id).toBe(ann.id);
    clockOffset = 0;
  }, 40_000);

  (runner === 'postgres' ? it : it.skip)('takes back the jobs of a worker that died mid-job and runs them', async () => {
    const p = (await t.api('/v1/participants', { body: { campaign_id: campaignId, email: 'orphan@example.com' } })).body;
    const [event] = await t.hub.db.query<{ id: string }>(
      "SELECT id FROM events WHERE type = 'participant.created' AND data->>'id' = $1",
      [p.id],
    );
    const [hook] = await t.hub.db.query<{ id: string }>('SELECT id FROM webhook_endpoints WHERE workspace_id = $1', [t.workspaceId]);
    // A redelivery job claimed by a worker that vanished: its lease ran out a second ago.
    await t.hub.db.query(
      `INSERT INTO webhook_deliveries (id, workspace_id, endpoint_id, event_id, event_type, status, retry_of)
       VALUES ('dlv_orphan', $1, $2, $3, 'participant.created', 'pending', 'dlv_x')`,
      [t.workspaceId, hook.id, event.id],
    );
    await t.hub.db.query(
      `INSERT INTO jobs (id, type, payload, status, attempts, max_attempts, locked_by, locked_until)
       VALUES ('job_orphan', 'webhook.deliver', '{"delivery_id":"dlv_orphan"}', 'running', 1, 22, 'dead-worker', now() - interval '1 second')`,
    );
    await receiver.waitFor((all) => all.some((r) => r.headers['referloop-delivery-id'] === 'dlv_orphan'), 20_000);
    const [job] = await eventually(async () => {
      const rows = await t.hub.db.query<{ status: string; locked_by: string | null }>("SELECT status, locked_by FROM jobs WHERE id = 'job_orphan'");
      return rows[0]?.status === 'done' ? rows : null;
    });
    expect(job.locked_by).toBeNull();
  }, 30_000);

  (runner === 'postgres' ? it : it.skip)('fails a job whose stored payload no longer parses, without retrying it', async () => {
    await t.hub.db.query(`INSERT INTO jobs (id, type, payload, max_attempts) VALUES ('job_bad', 'webhook.deliver', '{"delivery_id": 42}', 22)`);
    const [job] = await eventually(async () => {
      const rows = await t.hub.db.query<{ status: string; attempts: number; last_error: string }>("SELECT status, attempts, last_error FROM jobs WHERE id = 'job_bad'");
      return rows[0]?.status === 'failed' ? rows : null;
    });
    expect(job.attempts).toBe(1);
    expect(job.last_error).toMatch(/invalid payload: delivery_id/);
  });
});
