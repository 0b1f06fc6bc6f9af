import type { Db, Queryable } from '../db';
import { sha256Hex, randomSecret, safeEqual } from '../lib/crypto';
import { newId } from '../lib/ids';

export type KeyKind = 'secret' | 'publishable';

export interface CreatedKey {
  id: string;
  kind: KeyKind;
  name: string;
  /** The full key: shown once, never stored. */
  key: string;
}

export interface KeyListing {
  id: string;
  kind: KeyKind;
  name: string;
  hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface Principal {
  workspaceId: string;
  keyId: string;
  kind: KeyKind;
}

const KEY_PREFIX: Record<KeyKind, string> = { secret: 'rl_sk_', publishable: 'rl_pk_' };

/** Create a workspace with one secret and one publishable key. */
export async function createWorkspace(db: Db, name: string) {
  const id = newId('workspace');
  return db.tx(async (q) => {
    const [ws] = await q.query<{ id: string; name: string; created_at: Date }>(
      'INSERT INTO workspaces (id, name) VALUES ($1, $2) RETURNING id, name, created_at',
      [id, name],
    );
    const secret = await createKey(q, id, 'secret', 'Default secret key');
    const publishable = await createKey(q, id, 'publishable', 'Default publishable key');
    return { workspace: ws, secret, publishable };
  });
}

/** Create a key; only its SHA-256 is stored (keys are 32 random bytes, so a fast hash suffices). */
export async function createKey(q: Queryable, workspaceId: string, kind: KeyKind, name: string): Promise<CreatedKey> {
  const id = newId('apiKey');
  const key = KEY_PREFIX[kind] + randomSecret(32);
  await q.query('INSERT INTO api_keys (id, workspace_id, kind, name, hint, key_hash) VALUES ($1, $2, $3, $4, $5, $6)', [
    id,
    workspaceId,
    kind,
    name,
    `${key.slice(0, 10)}…`,
    sha256Hex(key),
  ]);
  return { id, kind, name, key };
}

export async function listKeys(q: Queryable, workspaceId: string): Promise<KeyListing[]> {
  const rows = await q.query<{
    id: string;
    kind: KeyKind;
    name: string;
    hint: string;
    created_at: Date;
    last_used_at: Date | null;
    revoked_at: Date | null;
  }>('SELECT id, kind, name, hint, created_at, last_used_at, revoked_at FROM api_keys WHERE workspace_id = $1 ORDER BY id', [
    workspaceId,
  ]);
  return rows.map((r) => ({
    ...r,
    created_at: r.created_at.toISOString(),
    last_used_at: r.last_used_at?.toISOString() ?? null,
    revoked_at: r.revoked_at?.toISOString() ?? null,
  }));
}

/** Revoke a key of the workspace; false when there is no such live key. */
export async function revokeKey(q: Queryable, workspaceId: string, keyId: string): Promise<boolean> {
  const rows = await q.query(
    'UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND workspace_id = $2 AND revoked_at IS NULL RETURNING id',
    [keyId, workspaceId],
  );
  return rows.length > 0;
}

/**
 * Who a presented key belongs to, or null. The lookup is by hash; the stored hash is then compared
 * in constant time so a near-miss cannot be timed.
 */
export async function authenticateKey(q: Queryable, presented: string): Promise<Principal | null> {
  const kind: KeyKind | null = presented.startsWith('rl_sk_') ? 'secret' : presented.startsWith('rl_pk_') ? 'publishable' : null;
  if (!kind) return null;
  const hash = sha256Hex(presented);
  const [row] = await q.query<{ id: string; workspace_id: string; kind: KeyKind; key_hash: string; revoked_at: Date | null }>(
    'SELECT id, workspace_id, kind, key_hash, revoked_at FROM api_keys WHERE key_hash = $1',
    [hash],
  );
  if (!row || row.revoked_at || row.kind !== kind || !safeEqual(row.key_hash, hash)) return null;
  noteKeyUse(q, row.id);
  return { workspaceId: row.workspace_id, keyId: row.id, kind: row.kind };
}

const lastNoted = new Map<string, number>();
const NOTE_EVERY_MS = 60_000;

/** Keep `last_used_at` roughly current (once a minute per key) without a write on every request. */
function noteKeyUse(q: Queryable, keyId: string): void {
  const now = Date.now();
  if ((lastNoted.get(keyId) ?? 0) > now - NOTE_EVERY_MS) return;
  lastNoted.set(keyId, now);
  q.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [keyId]).catch(() => lastNoted.delete(keyId));
}

export async function getWorkspace(q: Queryable, id: string) {
  const [ws] = await q.query<{ id: string; name: string; created_at: Date }>(
    'SELECT id, name, created_at FROM workspaces WHERE id = $1',
    [id],
  );
  return ws ?? null;
}
