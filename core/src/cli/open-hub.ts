import { createHub, type Hub } from '../hub';
import { loadConfig } from '../config';

/** Open the hub's database for a one-off command (the same configuration as `serve`). */
export async function openHubForCommand(): Promise<Hub> {
  const config = loadConfig(process.env);
  return createHub({ config, env: process.env, log: undefined });
}

/** The workspace a key command acts on: the one given, or the only one there is. */
export async function resolveWorkspace(hub: Hub, given: string | undefined): Promise<string> {
  if (given) {
    const rows = await hub.db.query<{ id: string }>('SELECT id FROM workspaces WHERE id = $1', [given]);
    if (rows.length === 0) throw new Error(`No workspace ${given}`);
    return given;
  }
  const rows = await hub.db.query<{ id: string }>('SELECT id FROM workspaces ORDER BY id LIMIT 2');
  if (rows.length === 1) return rows[0].id;
  throw new Error(rows.length === 0 ? 'No workspace yet: run `referloop workspaces create NAME`' : 'Several workspaces: pass --workspace ID');
}
