import type { z } from 'zod';
import type { Queryable } from '../db';
import { ApiError } from '../lib/errors';
import { newId } from '../lib/ids';
import { findJobType } from './catalog';
import { NOTIFY_JOBS_SQL } from './pg-listen';
import type { JobType } from './define';
import { ring } from './wake';

export interface EnqueueOptions {
  /** Run no earlier than this many ms after the enqueueing transaction (database clock). */
  delayMs?: number;
  /** Run no earlier than this time (overrides delayMs). */
  runAt?: Date;
  /**
   * At most one job with this key ever exists (until finished jobs are cleaned up a day later):
   * a second enqueue with the same key adds nothing and returns null.
   */
  dedupeKey?: string;
}

/**
 * Enqueue a job inside the caller's transaction: the job exists exactly when the change that asked
 * for it commits. The row goes to the `jobs` table in every mode; the Postgres runner runs it from
 * there and, with Redis, the dispatcher moves it to BullMQ after commit (the outbox pattern), so a
 * crash between commit and hand-off loses nothing — at worst a job runs twice.
 *
 * `type` is the declared job type (typed payload) or its name (payload checked at run time only
 * against the catalogue). The payload is validated here and again when the job runs.
 */
export async function enqueue<S extends z.ZodType>(
  q: Queryable,
  type: JobType<S> | string,
  payload: z.input<S>,
  opts: EnqueueOptions = {},
): Promise<string | null> {
  const def = typeof type === 'string' ? findJobType(type) : type;
  const parsed = def.payload.safeParse(payload);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
    throw new ApiError('internal', `invalid payload for job ${def.name}: ${issues}`);
  }
  const id = newId('job');
  const delaySeconds = opts.runAt ? null : (opts.delayMs ?? 0) / 1000;
  const rows = await q.query<{ id: string }>(
    `WITH added AS (
       INSERT INTO jobs (id, type, payload, max_attempts, run_at, dedupe_key)
       VALUES ($1, $2, $3::jsonb, $4, COALESCE($5::timestamptz, now() + make_interval(secs => $6::float8)), $7)
       ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING RETURNING id)
     SELECT id, ${NOTIFY_JOBS_SQL} FROM added`,
    [id, def.name, JSON.stringify(parsed.data), def.attempts, opts.runAt ?? null, delaySeconds ?? 0, opts.dedupeKey ?? null],
  );
  ring('jobs');
  return rows.length > 0 ? id : null;
}

/** Enqueue many jobs of one type in one statement (the relay's fan-out), in the caller's transaction. */
export async function enqueueMany<S extends z.ZodType>(q: Queryable, type: JobType<S>, payloads: z.input<S>[]): Promise<string[]> {
  if (payloads.length === 0) return [];
  const ids: string[] = [];
  const bodies: string[] = [];
  for (const payload of payloads) {
    const parsed = type.payload.safeParse(payload);
    if (!parsed.success) throw new ApiError('internal', `invalid payload for job ${type.name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    ids.push(newId('job'));
    bodies.push(JSON.stringify(parsed.data));
  }
  await q.query(
    `WITH added AS (
       INSERT INTO jobs (id, type, payload, max_attempts) SELECT id, $3, payload::jsonb, $4 FROM unnest($1::text[], $2::text[]) AS t(id, payload)
       RETURNING id)
     SELECT ${NOTIFY_JOBS_SQL} FROM added LIMIT 1`,
    [ids, bodies, type.name, type.attempts],
  );
  ring('jobs');
  return ids;
}
