import pg from 'pg';
import type { Logger } from '../lib/logger';

/** The channel jobs are announced on: per schema, since NOTIFY reaches the whole database. */
export const jobsChannel = (schema: string | undefined) => `referloop_jobs_${schema ?? 'public'}`;

/** SQL that announces new jobs; inside a transaction it is delivered when (and only if) it commits. */
export const NOTIFY_JOBS_SQL = "pg_notify('referloop_jobs_' || current_schema(), '')";

/**
 * Wake `onJobs` whenever any process commits new jobs in this schema (LISTEN on a connection of its
 * own), so a worker in another process than the API starts a delivery in milliseconds instead of at
 * its next idle poll. Reconnects after errors; polling still covers any gap.
 */
export function listenForJobs(url: string, schema: string | undefined, onJobs: () => void, log: Logger): () => Promise<void> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on('notification', () => onJobs());
    c.on('error', () => {
      c.end().catch(() => undefined);
      if (stopped) return;
      retry = setTimeout(() => void connect(), 1000);
      retry.unref();
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${jobsChannel(schema)}"`);
      onJobs();
    } catch (err) {
      log.warn({ err }, 'could not listen for new jobs; polling only');
      c.end().catch(() => undefined);
      if (!stopped) {
        retry = setTimeout(() => void connect(), 5000);
        retry.unref();
      }
    }
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
