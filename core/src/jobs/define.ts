import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { HubContext } from '../context';
import type { Logger } from '../lib/logger';

/** How long to wait before the next attempt of a failed job. */
export type Backoff =
  | { type: 'fixed'; delayMs: number }
  /** delayMs · 2^(attempt-1), capped at maxDelayMs, spread by ±jitter (a fraction, e.g. 0.2). */
  | { type: 'exponential'; delayMs: number; maxDelayMs: number; jitter: number };

/** What a handler gets besides its payload. */
export interface JobContext {
  hub: HubContext;
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /** When this attempt fails, the next one starts this many ms later; null on the last attempt. */
  retryDelayMs: number | null;
  /** Aborted when the job's timeout passes or the runner shuts down. */
  signal: AbortSignal;
  log: Logger;
}

/**
 * One job type, declared once: its name, payload schema, retry policy and timeout, and what it does.
 * Both runners (BullMQ and the Postgres `jobs` table) read exactly this.
 */
export interface JobType<S extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly payload: S;
  /** Total runs before the job is given up (1 = no retry). */
  readonly attempts: number;
  readonly backoff: Backoff;
  /** A run still going after this long is aborted and counts as a failed attempt. */
  readonly timeoutMs: number;
  /** BullMQ queue the type runs on, so slow types cannot starve fast ones (default `default`). */
  readonly queue: string;
  /** How many of this queue's jobs one worker process runs at once (the first type declaring a queue sets it). */
  readonly concurrency: number;
  /** Recurring types run every `everyMs` with an empty payload, once per period across all processes. */
  readonly everyMs?: number;
  run(payload: z.output<S>, ctx: JobContext): Promise<void>;
}

export type JobDeclaration<S extends z.ZodType> = Omit<JobType<S>, 'queue' | 'concurrency'> & { queue?: string; concurrency?: number };

/** Declare a job type (see `catalog.ts` for where it must then be listed). */
export function defineJob<S extends z.ZodType>(declaration: JobDeclaration<S>): JobType<S> {
  if (!/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/.test(declaration.name)) throw new Error(`job type name '${declaration.name}' must look like 'area.action'`);
  if (declaration.attempts < 1) throw new Error(`job type ${declaration.name}: attempts must be at least 1`);
  return { queue: 'default', concurrency: 10, ...declaration };
}

/**
 * A failure that retrying cannot fix (the target is gone, the input is invalid): the job ends as
 * failed at once instead of using its remaining attempts.
 */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/**
 * The delay before the attempt after `failedAttempt`. Jitter is derived from the job id, so the
 * handler (which writes "next retry at" into its log) and the runner (which schedules it) agree.
 * `scale` shrinks every delay (tests and benches; 1 in production).
 */
export function retryDelayMs(backoff: Backoff, failedAttempt: number, jobId: string, scale = 1): number {
  if (backoff.type === 'fixed') return Math.round(backoff.delayMs * scale);
  const raw = Math.min(backoff.delayMs * 2 ** Math.max(0, failedAttempt - 1), backoff.maxDelayMs);
  const unit = createHash('sha256').update(`${jobId}:${failedAttempt}`).digest().readUInt32BE(0) / 0xffffffff;
  return Math.round(raw * (1 - backoff.jitter + 2 * backoff.jitter * unit) * scale);
}
