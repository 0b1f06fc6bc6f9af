/**
 * A hub process for crash tests: the same parts `referloop serve --with-worker` runs (HTTP API,
 * relay, job runner) on a database that outlives the process (PGlite in REFERLOOP_DATA_DIR, or
 * Postgres when DATABASE_URL is set), with the tiny connector registered through the registry's
 * test hook — which is why it is not the CLI. Logs everything (trace) to HUB_LOG_FILE.
 * Prints one JSON line when listening: { url, secret_key? } (the key only on first start).
 */
import pino from 'pino';
import { registerConnectorForTests } from '../../../../connectors';
import { loadConfig } from '../../../../core/src/config';
import { createWorkspace } from '../../../../core/src/domain/workspaces';
import { createHub } from '../../../../core/src/hub';
import { startBackground } from '../../../../core/src/jobs/background';
import { createLogger } from '../../../../core/src/lib/logger';
import { tinyConnector } from './tiny-connector';

async function main(): Promise<void> {
  registerConnectorForTests(tinyConnector('pipedrive'));
  const logFile = process.env.HUB_LOG_FILE;
  if (!logFile) throw new Error('HUB_LOG_FILE is required');
  const log = createLogger('trace', pino.destination({ dest: logFile, sync: true, append: true }));
  const hub = await createHub({ config: loadConfig(process.env), log });
  await startBackground(hub, { retryDelayScale: 0.01 });
  let secretKey: string | undefined;
  const [{ n }] = await hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM workspaces');
  if (n === 0) secretKey = (await createWorkspace(hub.db, 'Crash test')).secret.key;
  const { url } = await hub.listen(hub.config.PORT, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ url, secret_key: secretKey })}\n`);
  const stop = () => void hub.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
