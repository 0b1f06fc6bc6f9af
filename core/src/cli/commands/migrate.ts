import type { Command } from 'commander';
import { openHubForCommand } from '../open-hub';

export function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('Apply database migrations (serve also does this at start-up)')
    .action(async () => {
      const hub = await openHubForCommand();
      const [row] = await hub.db.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
      process.stdout.write(`Database is up to date (${row.n} migrations applied, ${hub.db.kind}).\n`);
      await hub.close();
    });
}
