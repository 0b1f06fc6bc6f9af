import type { Command } from 'commander';
import { openHubForCommand } from '../open-hub';

/** `referloop worker`: run background jobs without serving HTTP (several may run at once). */
export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run background jobs: webhook deliveries, reward releases, CRM pushes (BullMQ with REDIS_URL, else the Postgres jobs table)')
    .action(async () => {
      const hub = await openHubForCommand();
      if (hub.db.kind === 'pglite') {
        await hub.close();
        throw new Error('referloop worker needs DATABASE_URL: the embedded database opens in one process only; run `referloop serve --with-worker` instead');
      }
      const { startBackground } = require('../../jobs/background') as typeof import('../../jobs/background');
      const background = await startBackground(hub, { consume: true });
      hub.log.info({ runner: background.runner, database: hub.db.kind }, 'Referloop worker running');
      process.stdout.write(`Referloop worker running (jobs on ${background.runner === 'bullmq' ? 'BullMQ' : 'the Postgres jobs table'})\n`);
      // Pollers do not hold the event loop open on their own; this does until a signal arrives.
      const keepAlive = setInterval(() => undefined, 60_000);
      let stopping = false;
      const stop = async () => {
        if (stopping) return;
        stopping = true;
        clearInterval(keepAlive);
        await hub.close();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop());
      process.on('SIGTERM', () => void stop());
    });
}
