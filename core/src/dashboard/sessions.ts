import type { Queryable } from '../db';
import { hmacHex, randomSecret, sha256Hex } from '../lib/crypto';
import type { Principal } from '../domain/workspaces';

/** How long a dashboard sign-in lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A signed-in dashboard browser: who it acts as, and the CSRF token its writes must carry. */
export interface DashboardSession {
  principal: Principal;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * The CSRF token of a session: an HMAC keyed by the session id. It is bound to the session (a
 * token of another session never matches) and needs no storage; only a page that can read the
 * hub's answers (same origin) ever learns it.
 */
export function csrfTokenFor(sessionId: string): string {
  return hmacHex(sessionId, 'referloop-dashboard-csrf');
}

/** Open a session for a secret key's principal; returns the id that goes into the cookie. */
export async function openSession(q: Queryable, principal: Principal, now: Date): Promise<{ id: string; session: DashboardSession }> {
  const id = randomSecret(32);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await q.query('INSERT INTO dashboard_sessions (id_hash, workspace_id, key_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
    sha256Hex(id),
    principal.workspaceId,
    principal.keyId,
    now,
    expiresAt,
  ]);
  // Expired rows of anyone are swept here: sign-ins are rare, so this costs nothing noticeable.
  await q.query('DELETE FROM dashboard_sessions WHERE expires_at < $1', [now]);
  return { id, session: { principal, csrfToken: csrfTokenFor(id), expiresAt } };
}

/** The live session of a cookie value, or null (unknown, expired, or its key was revoked). */
export async function findSession(q: Queryable, id: string, now: Date): Promise<DashboardSession | null> {
  if (id.length < 20 || id.length > 100) return null;
  const [row] = await q.query<{ workspace_id: string; key_id: string; expires_at: Date }>(
    `SELECT s.workspace_id, s.key_id, s.expires_at FROM dashboard_sessions s JOIN api_keys k ON k.id = s.key_id
     WHERE s.id_hash = $1 AND s.expires_at > $2 AND k.revoked_at IS NULL AND k.kind = 'secret'`,
    [sha256Hex(id), now],
  );
  if (!row) return null;
  return { principal: { workspaceId: row.workspace_id, keyId: row.key_id, kind: 'secret' }, csrfToken: csrfTokenFor(id), expiresAt: row.expires_at };
}

/** Sign a session out. */
export async function closeSession(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM dashboard_sessions WHERE id_hash = $1', [sha256Hex(id)]);
}
