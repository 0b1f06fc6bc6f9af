import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { HubContext } from '../context';
import type { Logger } from '../lib/logger';
import { findJobType } from './catalog';
import { retryDelayMs } from './define';
import { executeJob } from './execute';
import { Poller, tickResult, type TickResult } from './poller';
import { queueSpecs } from './queues';
import type { Schedule } from './schedules';

export interface BullOptions {
  redisUrl: string;
  /** Key prefix: REDIS_PREFIX, plus a per-hub suffix in tests so hubs sharing a Redis stay apart. */
  prefix: string;
  log: Logger;
  retryScale: number;
}

const connectionFor = (url: string): ConnectionOptions => ({ url, maxRetriesPerRequest: null });

/** Finished jobs kept in Redis for inspection; the delivery log in Postgres is the lasting record. */
const keepCompleted = { age: 3600, count: 1000 };
const keepFailed = { age: 7 * 86_400 };

interface OutboxRow {
  id: string;
  type: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
  delay_ms: number;
}

/**
 * The producer side with Redis: moves committed `jobs` rows into BullMQ (the outbox pattern). A row
 * is claimed with SKIP LOCKED, added under its own id (BullMQ ignores a second add of the same id),
 * then marked dispatched in the same transaction — a crash in between re-adds it, never drops it.
 */
export class BullDispatcher {
  private readonly queues = new Map<string, Queue>();
  private readonly poller: Poller;

  constructor(
    private readonly hub: HubContext,
    private readonly opts: BullOptions,
  ) {
    for (const spec of queueSpecs()) this.queues.set(spec.name, new Queue(spec.name, { connection: connectionFor(opts.redisUrl), prefix: opts.prefix }));
    this.poller = new Poller('bullmq-dispatch', () => this.tick(), { wakeOn: 'jobs', log: opts.log, maxMs: 1000 });
  }

  start(): void {
    this.poller.start();
  }

  queue(name: string): Queue | undefined {
    return this.queues.get(name);
  }

  async stop(removeQueues = false): Promise<void> {
    await this.poller.stop();
    if (removeQueues) await Promise.all([...this.queues.values()].map((q) => q.obliterate({ force: true })));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }

  private async tick(): Promise<TickResult> {
    const limit = 500;
    const moved = await this.hub.db.tx(async (q) => {
      const rows = await q.query<OutboxRow>(
        `SELECT id, type, payload, attempts, max_attempts, GREATEST(0, (extract(epoch FROM run_at - now()) * 1000)::bigint) AS delay_ms
         FROM jobs WHERE status = 'queued' ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const byQueue = new Map<string, Parameters<Queue['addBulk']>[0]>();
      for (const row of rows) {
        const def = findJobType(row.type);
        const list = byQueue.get(def.queue) ?? [];
        list.push({
          name: row.type,
          data: row.payload,
          opts: {
            jobId: row.id,
            attempts: Math.max(1, row.max_attempts - row.attempts),
            backoff: { type: 'referloop' },
            delay: row.delay_ms,
            removeOnComplete: keepCompleted,
            removeOnFail: keepFailed,
          },
        });
        byQueue.set(def.queue, list);
      }
      for (const [name, jobs] of byQueue) {
        const queue = this.queues.get(name);
        if (!queue) throw new Error(`no BullMQ queue ${name}`);
        await queue.addBulk(jobs);
      }
      await q.query(`UPDATE jobs SET status = 'dispatched', finished_at = now(), updated_at = now() WHERE id = ANY($1::text[])`, [rows.map((r) => r.id)]);
      return rows.length;
    });
    return tickResult(moved, limit);
  }
}

/** The consumer side with Redis: one BullMQ worker per queue, running the catalogue's handlers. */
export class BullConsumer {
  private readonly workers: Worker[] = [];
  private readonly shutdown = new AbortController();

  constructor(
    private readonly hub: HubContext,
    private readonly opts: BullOptions,
  ) {}

  async start(schedules: Schedule[], dispatcher: BullDispatcher): Promise<void> {
    const { retryScale } = this.opts;
    for (const spec of queueSpecs()) {
      const worker = new Worker(spec.name, (job: Job) => this.process(job), {
        connection: connectionFor(this.opts.redisUrl),
        prefix: this.opts.prefix,
        concurrency: spec.concurrency,
        // A killed worker's jobs are retaken after ~10 s; as long as retries remain they are never dropped.
        lockDuration: 10_000,
        stalledInterval: 5_000,
        maxStalledCount: 20,
        removeOnComplete: keepCompleted,
        removeOnFail: keepFailed,
        settings: {
          backoffStrategy: (attemptsMade: number, _type?: string, _err?: Error, job?: { name: string; id?: string }) =>
            job ? retryDelayMs(findJobType(job.name).backoff, attemptsMade, job.id ?? '', retryScale) : 1000,
        },
      });
      worker.on('error', (err) => this.opts.log.error({ err, queue: spec.name }, 'BullMQ worker error'));
      this.workers.push(worker);
    }
    for (const s of schedules) {
      const def = findJobType(s.type);
      const queue = dispatcher.queue(def.queue);
      await queue?.upsertJobScheduler(s.type, { every: s.everyMs }, {
        name: s.type,
        data: {},
        opts: { attempts: def.attempts, backoff: { type: 'referloop' }, removeOnComplete: keepCompleted, removeOnFail: keepFailed },
      });
    }
  }

  async stop(): Promise<void> {
    this.shutdown.abort(new Error('worker shutting down'));
    await Promise.all(this.workers.map((w) => w.close()));
  }

  private async process(job: Job): Promise<void> {
    const outcome = await executeJob(
      this.hub,
      { id: job.id ?? '', type: job.name, payload: job.data, attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 },
      { retryScale: this.opts.retryScale, log: this.opts.log, shutdown: this.shutdown.signal },
    );
    if (outcome.ok) return;
    if (outcome.permanent) throw new UnrecoverableError(outcome.error);
    throw new Error(outcome.error);
  }
}
