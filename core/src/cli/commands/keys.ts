import type { Command } from 'commander';
import { createKey, listKeys, revokeKey } from '../../domain/workspaces';
import { openHubForCommand, resolveWorkspace } from '../open-hub';
import { printKeys } from '../print-keys';

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('Manage API keys of a workspace');
  keys
    .command('create')
    .description('Create a key and print it (once)')
    .option('-w, --workspace <id>', 'workspace id (default: the only workspace)')
    .option('--publishable', 'a publishable key (tracking snippet only) instead of a secret key')
    .option('-n, --name <name>', 'a label for the key', 'API key')
    .action(async (opts: { workspace?: string; publishable?: boolean; name: string }) => {
      const hub = await openHubForCommand();
      try {
        const workspaceId = await resolveWorkspace(hub, opts.workspace);
        const key = await createKey(hub.db, workspaceId, opts.publishable ? 'publishable' : 'secret', opts.name);
        process.stdout.write(`Key ${key.id} created in ${workspaceId}.\n`);
        printKeys(process.stdout, [key]);
      } finally {
        await hub.close();
      }
    });
  keys
    .command('list')
    .description('List keys (hints only; keys are never shown again)')
    .option('-w, --workspace <id>', 'workspace id (default: the only workspace)')
    .action(async (opts: { workspace?: string }) => {
      const hub = await openHubForCommand();
      try {
        const workspaceId = await resolveWorkspace(hub, opts.workspace);
        for (const k of await listKeys(hub.db, workspaceId)) {
          const state = k.revoked_at ? `revoked ${k.revoked_at}` : `active, last used ${k.last_used_at ?? 'never'}`;
          process.stdout.write(`${k.id}  ${k.kind.padEnd(11)}  ${k.hint}  ${k.name}  (${state})\n`);
        }
      } finally {
        await hub.close();
      }
    });
  keys
    .command('revoke')
    .argument('<key-id>', 'the key id (key_…) from `keys list`')
    .description('Revoke a key: it stops working at once')
    .option('-w, --workspace <id>', 'workspace id (default: the only workspace)')
    .action(async (keyId: string, opts: { workspace?: string }) => {
      const hub = await openHubForCommand();
      try {
        const workspaceId = await resolveWorkspace(hub, opts.workspace);
        if (!(await revokeKey(hub.db, workspaceId, keyId))) throw new Error(`No active key ${keyId} in ${workspaceId}`);
        process.stdout.write(`Key ${keyId} revoked.\n`);
      } finally {
        await hub.close();
      }
    });
}
