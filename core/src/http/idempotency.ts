import type { Queryable } from '../db';
import { ApiError } from '../lib/errors';
import { sha256Hex } from '../lib/crypto';

const WINDOW_HOURS = 24;
// A claim older than this belongs to a request that died mid-way; a retry may take it over.
const ABANDONED_SECONDS = 60;

export type IdempotencyClaim = { kind: 'fresh' } | { kind: 'replay'; status: number; body: unknown };

export function requestHash(method: string, path: string, body: unknown): string {
  return sha256Hex(`${method} ${path} ${JSON.stringify(body ?? null)}`);
}

/**
 * Claim an Idempotency-Key for a request. The first request with a key runs; a repeat with the
 * same body within 24 hours gets the first answer back; a repeat with another body is a 422.
 */
export async function claimIdempotencyKey(q: Queryable, workspaceId: string, key: string, hash: string): Promise<IdempotencyClaim> {
  const inserted = await q.query(
    `INSERT INTO idempotency_keys (workspace_id, key, request_hash) VALUES ($1, $2, $3)
     ON CONFLICT (workspace_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status_code = NULL, response = NULL, created_at = now()
       WHERE idempotency_keys.created_at < now() - make_interval(hours => ${WINDOW_HOURS})
          OR (idempotency_keys.status_code IS NULL AND idempotency_keys.created_at < now() - make_interval(secs => ${ABANDONED_SECONDS})
              AND idempotency_keys.request_hash = EXCLUDED.request_hash)
     RETURNING key`,
    [workspaceId, key, hash],
  );
  if (inserted.length > 0) return { kind: 'fresh' };
  const [row] = await q.query<{ request_hash: string; status_code: number | null; response: unknown }>(
    'SELECT request_hash, status_code, response FROM idempotency_keys WHERE workspace_id = $1 AND key = $2',
    [workspaceId, key],
  );
  if (!row) return { kind: 'fresh' };
  if (row.request_hash !== hash) {
    throw new ApiError('idempotency_mismatch', 'This Idempotency-Key was used with a different request; use a new key for a new request', [
      { path: 'Idempotency-Key', message: 'reused with a different request body' },
    ]);
  }
  if (row.status_code === null) throw new ApiError('idempotency_in_progress', 'The first request with this Idempotency-Key is still running; retry shortly');
  return { kind: 'replay', status: row.status_code, body: row.response };
}

/** Keep the answer for replays; a failed request (5xx) releases the key so a retry can run. */
export async function storeIdempotentResponse(q: Queryable, workspaceId: string, key: string, status: number, body: unknown): Promise<void> {
  if (status >= 500) {
    await q.query('DELETE FROM idempotency_keys WHERE workspace_id = $1 AND key = $2', [workspaceId, key]);
    return;
  }
  await q.query('UPDATE idempotency_keys SET status_code = $3, response = $4::jsonb WHERE workspace_id = $1 AND key = $2', [
    workspaceId,
    key,
    status,
    JSON.stringify(body ?? null),
  ]);
}
