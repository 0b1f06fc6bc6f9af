import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Anything that runs SQL: the database itself or an open transaction. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** The store: Postgres through `pg`, or embedded PGlite; the same SQL runs on both. */
export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Run `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres:// URL; without it the hub runs on PGlite. */
  url?: string;
  /** Postgres schema to create and use (per-suite isolation in tests). */
  schema?: string;
  /** PGlite data directory; undefined keeps the database in memory. */
  dataDir?: string;
  poolSize?: number;
}

// int8 (counts, money in minor units, sequence numbers) as JS numbers on both drivers:
// every value we store stays far below 2^53.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const toNumber = (v: string) => Number(v);

/** Open the database the options describe. */
export async function openDb(options: DbOptions): Promise<Db> {
  return options.url ? openPostgres(options.url, options.schema, options.poolSize ?? 10) : openPglite(options.dataDir);
}

async function openPostgres(url: string, schema: string | undefined, max: number): Promise<Db> {
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max,
    options: schema ? `-c search_path="${schema}"` : undefined,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID || oid === NUMERIC_OID ? toNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it on next use.
  });
  const run = async <T>(client: pg.Pool | pg.PoolClient, sql: string, params?: unknown[]) =>
    (await client.query(sql, params as unknown[])).rows as T[];
  return {
    kind: 'postgres',
    query: (sql, params) => run(pool, sql, params),
    async tx(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => run(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  if (dataDir) fs.mkdirSync(path.resolve(dataDir), { recursive: true });
  const lite = new PGlite(dataDir ? path.resolve(dataDir, 'pgdata') : undefined, {
    parsers: { [INT8_OID]: toNumber, [NUMERIC_OID]: toNumber },
  });
  await lite.waitReady;
  let closed = false;
  return {
    kind: 'pglite',
    query: async (sql, params) => (await lite.query(sql, params)).rows as never,
    tx: (fn) => lite.transaction((t) => fn({ query: async (sql, params) => (await t.query(sql, params)).rows as never })),
    async close() {
      if (closed) return;
      closed = true;
      await lite.close();
    },
  };
}
