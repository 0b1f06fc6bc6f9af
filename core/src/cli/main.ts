import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config';
import { registerImportCommands } from './commands/import';
import { registerKeyCommands } from './commands/keys';
import { registerMigrateCommand } from './commands/migrate';
import { registerServeCommand } from './commands/serve';
import { registerWorkerCommand } from './commands/worker';
import { registerWorkspaceCommands } from './commands/workspaces';

const program = new Command('referloop')
  .description('Referloop: the referral-tracking hub. Configuration comes from the environment (see README).')
  .exitOverride();

registerServeCommand(program);
registerWorkerCommand(program);
registerMigrateCommand(program);
registerWorkspaceCommands(program);
registerKeyCommands(program);
registerImportCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
