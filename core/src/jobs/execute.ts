import type { HubContext } from '../context';
import type { Logger } from '../lib/logger';
import { findJobType } from './catalog';
import { PermanentJobError, retryDelayMs } from './define';

export interface JobRun {
  id: string;
  type: string;
  payload: unknown;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
}

export type JobOutcome = { ok: true } | { ok: false; permanent: boolean; retryDelayMs: number | null; error: string };

/**
 * Run one job through its declared type, the same way on both runners: validate the payload,
 * give the handler its retry delay and an abort signal, enforce the timeout, classify the result.
 */
export async function executeJob(hub: HubContext, run: JobRun, opts: { retryScale: number; log: Logger; shutdown: AbortSignal }): Promise<JobOutcome> {
  let def;
  try {
    def = findJobType(run.type);
  } catch (err) {
    return { ok: false, permanent: true, retryDelayMs: null, error: err instanceof Error ? err.message : String(err) };
  }
  const parsed = def.payload.safeParse(run.payload);
  if (!parsed.success) {
    return { ok: false, permanent: true, retryDelayMs: null, error: `invalid payload: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
  }
  const retryDelay = run.attempt < run.maxAttempts ? retryDelayMs(def.backoff, run.attempt, run.id, opts.retryScale) : null;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error(`timed out after ${def.timeoutMs} ms`)), def.timeoutMs);
  const signal = AbortSignal.any([timeout.signal, opts.shutdown]);
  const log = opts.log.child({ job: run.id, type: run.type, attempt: run.attempt });
  try {
    const aborted = new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted')), { once: true });
    });
    // A late abort (after the handler settled) must not surface as an unhandled rejection.
    aborted.catch(() => undefined);
    await Promise.race([def.run(parsed.data, { hub, jobId: run.id, attempt: run.attempt, maxAttempts: run.maxAttempts, retryDelayMs: retryDelay, signal, log }), aborted]);
    return { ok: true };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const permanent = err instanceof PermanentJobError;
    log.warn({ error, permanent, retryInMs: permanent ? null : retryDelay }, 'job attempt failed');
    return { ok: false, permanent, retryDelayMs: permanent ? null : retryDelay, error };
  } finally {
    clearTimeout(timer);
  }
}
