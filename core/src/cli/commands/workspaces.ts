import type { Command } from 'commander';
import { createWorkspace } from '../../domain/workspaces';
import { openHubForCommand } from '../open-hub';
import { printKeys } from '../print-keys';

export function registerWorkspaceCommands(program: Command): void {
  const ws = program.command('workspaces').description('Manage workspaces (tenants)');
  ws.command('create')
    .argument('<name>', 'workspace name')
    .description('Create a workspace and print its secret and publishable keys (once)')
    .action(async (name: string) => {
      const hub = await openHubForCommand();
      try {
        const { workspace, secret, publishable } = await createWorkspace(hub.db, name);
        process.stdout.write(`Workspace ${workspace.id} "${workspace.name}" created.\n`);
        printKeys(process.stdout, [secret, publishable]);
      } finally {
        await hub.close();
      }
    });
  ws.command('list')
    .description('List workspaces')
    .action(async () => {
      const hub = await openHubForCommand();
      try {
        const rows = await hub.db.query<{ id: string; name: string }>('SELECT id, name FROM workspaces ORDER BY id');
        for (const r of rows) process.stdout.write(`${r.id}  ${r.name}\n`);
      } finally {
        await hub.close();
      }
    });
}
