import pg from 'pg';
import { clickLink } from '../../support/fixtures';
import type { TestHub } from '../../support/hub';

/** Follow `link` `n` times, `concurrency` at a time; the click ids the redirects handed out. */
export async function clickMany(link: string, n: number, concurrency = 25): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  async function lane(): Promise<void> {
    while (next < n) {
      next++;
      const res = await clickLink(link);
      if (res.status !== 302 || !res.location) throw new Error(`redirect answered ${res.status}`);
      ids.push(res.location.searchParams.get('rl_click') ?? '');
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return ids;
}

/** The ids of a participant's clicks in the database. */
export async function storedClicks(t: TestHub, participantId: string): Promise<string[]> {
  const rows = await t.hub.db.query<{ id: string }>('SELECT id FROM clicks WHERE participant_id = $1', [participantId]);
  return rows.map((r) => r.id);
}

/**
 * Postgres only: hold every insert into the hub's clicks table behind a table lock taken from another
 * connection (reads still go through), until `release()` commits it.
 */
export interface HeldInserts {
  /** Backends whose insert into the clicks table waits on the lock. */
  waitingPids(): Promise<number[]>;
  release(): Promise<void>;
}

export async function holdClickInserts(t: TestHub): Promise<HeldInserts> {
  const schema = t.hub.config.DATABASE_SCHEMA;
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL, options: `-c search_path="${schema}"` });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE clicks IN SHARE ROW EXCLUSIVE MODE');
  return {
    async waitingPids() {
      const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_locks WHERE relation = $1::regclass AND NOT granted', [`"${schema}".clicks`]);
      return rows.map((r) => r.pid);
    },
    async release() {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Resolve once `check` holds, polling every 10 ms (at most `ms`). */
export async function until(check: () => Promise<boolean> | boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
