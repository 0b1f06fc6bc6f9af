import { ApiError } from '../lib/errors';

/** Cursors are opaque to clients: base64url of the last id of the previous page. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z]+_[0-9a-z]{26}$/.test(id)) throw new ApiError('validation_failed', 'cursor: not a cursor from this API', [{ path: 'query.cursor', message: 'invalid cursor' }]);
  return id;
}

/** Cut a `limit + 1` fetch into a page and the cursor of the next one. */
export function toPage<R extends { id: string }, T>(rows: R[], limit: number, map: (row: R) => T): { data: T[]; next_cursor: string | null } {
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { data: page.map(map), next_cursor: more ? Buffer.from(page[page.length - 1].id).toString('base64url') : null };
}
