import type { HubContext } from '../context';
import type { Logger } from '../lib/logger';
import { jobCatalog } from './catalog';
import { enqueue } from './enqueue';

export interface Schedule {
  type: string;
  everyMs: number;
}

/** The recurring job types and their periods (tests shorten them with `overrides`). */
export function recurringSchedules(overrides: Record<string, number> = {}): Schedule[] {
  return [...jobCatalog().values()]
    .filter((t) => t.everyMs !== undefined)
    .map((t) => ({ type: t.name, everyMs: overrides[t.name] ?? t.everyMs ?? 0 }));
}

/**
 * Recurring jobs on the Postgres runner: every process offers the job of the current period with a
 * dedupe key naming that period, so whichever process comes first enqueues it and it runs once.
 */
export function startPostgresSchedules(hub: HubContext, schedules: Schedule[], log: Logger): () => void {
  if (schedules.length === 0) return () => undefined;
  const offer = async () => {
    for (const s of schedules) {
      const period = Math.floor(Date.now() / s.everyMs);
      await enqueue(hub.db, s.type, {}, { dedupeKey: `every:${s.type}:${s.everyMs}:${period}`, runAt: new Date(period * s.everyMs) });
    }
  };
  const checkMs = Math.max(50, Math.min(...schedules.map((s) => s.everyMs)) / 2);
  const timer = setInterval(() => offer().catch((err: unknown) => log.error({ err }, 'could not enqueue recurring jobs')), checkMs);
  timer.unref();
  void offer().catch((err: unknown) => log.error({ err }, 'could not enqueue recurring jobs'));
  return () => clearInterval(timer);
}
