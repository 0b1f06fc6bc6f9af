import type { Command } from 'commander';
import { createWorkspace } from '../../domain/workspaces';
import type { Hub } from '../../hub';
import { openHubForCommand } from '../open-hub';
import { printKeys } from '../print-keys';

/** First start: a workspace to work in, with its keys printed once. */
async function ensureFirstWorkspace(hub: Hub): Promise<void> {
  const [row] = await hub.db.query<{ n: number }>('SELECT count(*) AS n FROM workspaces');
  if (row.n > 0) return;
  const { workspace, secret, publishable } = await createWorkspace(hub.db, 'My workspace');
  process.stdout.write(`\nFirst start: created workspace ${workspace.id} "${workspace.name}".\n`);
  printKeys(process.stdout, [secret, publishable]);
  process.stdout.write('\n');
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('Run the hub (HTTP API, redirects, tracking)')
    .option('--with-worker', 'also run the background job worker in this process', false)
    .option('-p, --port <port>', 'port (default: $PORT or 3000)')
    .action(async (opts: { withWorker: boolean; port?: string }) => {
      const hub = await openHubForCommand();
      await ensureFirstWorkspace(hub);
      // Events are always relayed (and, with Redis, handed to BullMQ); jobs run here only with --with-worker.
      const { startBackground } = require('../../jobs/background') as typeof import('../../jobs/background');
      await startBackground(hub, { consume: opts.withWorker });
      const { url } = await hub.listen(opts.port ? Number(opts.port) : undefined);
      hub.log.info({ url, database: hub.db.kind, worker: opts.withWorker }, 'Referloop hub listening');
      process.stdout.write(`Referloop hub on ${url} (database: ${hub.db.kind === 'pglite' ? `embedded PGlite in ${hub.config.dataDir}` : 'Postgres'})\n`);
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        await hub.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
    });
}
