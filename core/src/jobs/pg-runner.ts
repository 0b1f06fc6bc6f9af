import type { HubContext } from '../context';
import type { Logger } from '../lib/logger';
import { executeJob } from './execute';
import { listenForJobs } from './pg-listen';
import { Poller, type TickResult } from './poller';
import { queueSpecs, type QueueSpec } from './queues';

interface ClaimedJob {
  id: string;
  type: string;
  payload: unknown;
  attempts: number;
  max_attempts: number;
}

export interface PostgresRunnerOptions {
  workerId: string;
  log: Logger;
  retryScale: number;
  /** A running job's lease; the runner renews it while the job runs, a dead runner's jobs are retaken after it. */
  leaseMs?: number;
}

/**
 * The in-process runner over the `jobs` table. Claims due jobs with FOR UPDATE SKIP LOCKED (several
 * processes can share one Postgres), runs them with each queue's concurrency, and records the
 * outcome: done, queued again after the type's backoff, or failed.
 */
export class PostgresJobRunner {
  private readonly poller: Poller;
  private readonly queues: QueueSpec[];
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perQueue = new Map<string, number>();
  private readonly queueOf = new Map<string, string>();
  private readonly shutdown = new AbortController();
  private readonly leaseMs: number;
  private lastLeaseCheck = 0;
  private stopListening: () => Promise<void> = async () => undefined;

  constructor(
    private readonly hub: HubContext,
    private readonly opts: PostgresRunnerOptions,
  ) {
    this.queues = queueSpecs();
    for (const q of this.queues) for (const t of q.types) this.queueOf.set(t, q.name);
    this.leaseMs = opts.leaseMs ?? 10_000;
    this.poller = new Poller('jobs', () => this.tick(), { wakeOn: 'jobs', log: opts.log, maxMs: 1000 });
  }

  start(): void {
    this.poller.start();
    const { DATABASE_URL, DATABASE_SCHEMA } = this.hub.config;
    // Other processes (the API, other workers) announce their jobs; PGlite lives in this process only.
    if (this.hub.db.kind === 'postgres' && DATABASE_URL) this.stopListening = listenForJobs(DATABASE_URL, DATABASE_SCHEMA, () => this.poller.wake(), this.opts.log);
  }

  async stop(): Promise<void> {
    await this.stopListening();
    await this.poller.stop();
    // Jobs still running are aborted; each records its attempt as failed and is retried later.
    this.shutdown.abort(new Error('worker shutting down'));
    await Promise.allSettled([...this.inFlight.values()]);
  }

  private free(queue: QueueSpec): number {
    return queue.concurrency - (this.perQueue.get(queue.name) ?? 0);
  }

  private async tick(): Promise<TickResult> {
    await this.maintainLeases();
    const open = this.queues.filter((q) => this.free(q) > 0);
    if (open.length === 0) return 'none';
    const limit = open.reduce((n, q) => n + this.free(q), 0);
    const claimed = await this.hub.db.query<ClaimedJob>(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $1,
         locked_until = now() + make_interval(secs => $2::float8), updated_at = now()
       WHERE id IN (SELECT id FROM jobs WHERE status = 'queued' AND run_at <= now() AND type = ANY($3::text[])
                    ORDER BY run_at LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING id, type, payload, attempts, max_attempts`,
      [this.opts.workerId, this.leaseMs / 1000, open.flatMap((q) => q.types), limit],
    );
    const surplus: string[] = [];
    for (const job of claimed) {
      const queue = this.queueOf.get(job.type) ?? '';
      const spec = this.queues.find((q) => q.name === queue);
      if (!spec || this.free(spec) <= 0) {
        surplus.push(job.id);
        continue;
      }
      this.perQueue.set(queue, (this.perQueue.get(queue) ?? 0) + 1);
      const done = this.runOne(job).finally(() => {
        this.inFlight.delete(job.id);
        this.perQueue.set(queue, (this.perQueue.get(queue) ?? 1) - 1);
        this.poller.wake();
      });
      this.inFlight.set(job.id, done);
    }
    // One claim serves all queues; what a full queue cannot take goes straight back.
    if (surplus.length > 0) {
      await this.hub.db.query(
        `UPDATE jobs SET status = 'queued', attempts = attempts - 1, locked_by = NULL, locked_until = NULL WHERE id = ANY($1::text[]) AND locked_by = $2`,
        [surplus, this.opts.workerId],
      );
    }
    if (claimed.length === 0) return 'none';
    return claimed.length >= limit && surplus.length === 0 ? 'full' : 'some';
  }

  /** Renew our leases and put back the jobs of runners whose leases ran out (they died). */
  private async maintainLeases(): Promise<void> {
    const now = Date.now();
    if (now - this.lastLeaseCheck < this.leaseMs / 3) return;
    this.lastLeaseCheck = now;
    if (this.inFlight.size > 0) {
      await this.hub.db.query(
        `UPDATE jobs SET locked_until = now() + make_interval(secs => $2::float8) WHERE locked_by = $1 AND status = 'running'`,
        [this.opts.workerId, this.leaseMs / 1000],
      );
    }
    const lost = await this.hub.db.query<{ id: string }>(
      `UPDATE jobs SET status = 'queued', locked_by = NULL, locked_until = NULL, last_error = 'worker lost before the job finished', updated_at = now()
       WHERE status = 'running' AND locked_until < now() RETURNING id`,
    );
    if (lost.length > 0) this.opts.log.warn({ jobs: lost.length }, 'took back jobs of a worker that stopped');
  }

  private async runOne(job: ClaimedJob): Promise<void> {
    const outcome = await executeJob(
      this.hub,
      { id: job.id, type: job.type, payload: job.payload, attempt: job.attempts, maxAttempts: job.max_attempts },
      { retryScale: this.opts.retryScale, log: this.opts.log, shutdown: this.shutdown.signal },
    );
    try {
      if (outcome.ok) {
        await this.hub.db.query(
          `UPDATE jobs SET status = 'done', finished_at = now(), updated_at = now(), locked_by = NULL, locked_until = NULL, last_error = NULL
           WHERE id = $1 AND locked_by = $2`,
          [job.id, this.opts.workerId],
        );
      } else if (this.shutdown.signal.aborted) {
        // Cut short by our own shutdown: not the job's fault, so it keeps its attempt and runs again soon.
        await this.hub.db.query(
          `UPDATE jobs SET status = 'queued', attempts = attempts - 1, run_at = now(), updated_at = now(), locked_by = NULL, locked_until = NULL
           WHERE id = $1 AND locked_by = $2`,
          [job.id, this.opts.workerId],
        );
      } else if (outcome.retryDelayMs === null) {
        await this.hub.db.query(
          `UPDATE jobs SET status = 'failed', finished_at = now(), updated_at = now(), locked_by = NULL, locked_until = NULL, last_error = $3
           WHERE id = $1 AND locked_by = $2`,
          [job.id, this.opts.workerId, outcome.error],
        );
      } else {
        await this.hub.db.query(
          `UPDATE jobs SET status = 'queued', run_at = now() + make_interval(secs => $3::float8), updated_at = now(), locked_by = NULL,
             locked_until = NULL, last_error = $4
           WHERE id = $1 AND locked_by = $2`,
          [job.id, this.opts.workerId, outcome.retryDelayMs / 1000, outcome.error],
        );
      }
    } catch (err) {
      // The lease runs out and another runner retries it: at least once, never lost.
      this.opts.log.error({ err, job: job.id }, 'could not record a job outcome');
    }
  }
}
