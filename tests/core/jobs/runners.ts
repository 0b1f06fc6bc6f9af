import type { TestHubOptions } from '../../support/hub';

export type RunnerKind = 'postgres' | 'bullmq';

/** The job runners the suites run on: the Postgres jobs table always, BullMQ too when REDIS_URL is set. */
export function runnerKinds(): RunnerKind[] {
  return process.env.REDIS_URL ? ['postgres', 'bullmq'] : ['postgres'];
}

/** Test hub environment for a runner (each hub gets its own BullMQ key prefix from startTestHub). */
export function runnerEnv(runner: RunnerKind): Record<string, string> {
  return runner === 'bullmq' ? { REDIS_URL: process.env.REDIS_URL ?? '' } : {};
}

/** Every database × runner pair worth running: both runners on PGlite, the Postgres runner on Postgres too. */
export function hubMatrix(): Array<{ label: string; options: TestHubOptions; runner: RunnerKind }> {
  const out: Array<{ label: string; options: TestHubOptions; runner: RunnerKind }> = [];
  for (const runner of runnerKinds()) out.push({ label: `pglite, ${runner}`, runner, options: { db: 'pglite', env: runnerEnv(runner) } });
  if (process.env.DATABASE_URL) out.push({ label: 'postgres, postgres', runner: 'postgres', options: { db: 'postgres' } });
  return out;
}

/** Delete every Redis key under a BullMQ prefix (what worker processes of a test leave behind). */
export async function removeRedisKeys(prefix: string): Promise<void> {
  if (!process.env.REDIS_URL) return;
  const { Redis } = await import('ioredis');
  const redis = new Redis(process.env.REDIS_URL);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
