import { ApiError } from '../lib/errors';
import { isId } from '../lib/ids';
import { participantSorts, type ParticipantSort } from '../schemas/participant';

/** One column of a sort order: an SQL expression over the participant aliased `p`, and its direction. */
export interface SortKey {
  expr: string;
  dir: 'asc' | 'desc';
}

// What the resource shows as the person's name (first and last name, else the email), lower-cased and
// compared byte by byte, so the order is the same on Postgres and PGlite whatever their locale.
const NAME_KEY = `lower(COALESCE(NULLIF(concat_ws(' ', NULLIF(p.first_name, ''), NULLIF(p.last_name, '')), ''), p.email)) COLLATE "C"`;
// Participants without a referral (direct, imported) after every status.
const STATUS_KEY = `COALESCE(p.referral_status, '~') COLLATE "C"`;

/**
 * The keys of each order. Every order ends with the id, so rows never tie and a page boundary is one
 * exact position: keyset pagination then has no duplicates and no gaps.
 */
export const sortKeys: Record<ParticipantSort, SortKey[]> = {
  '-created_at': [
    { expr: 'p.created_at', dir: 'desc' },
    { expr: 'p.id', dir: 'desc' },
  ],
  created_at: [
    { expr: 'p.created_at', dir: 'asc' },
    { expr: 'p.id', dir: 'asc' },
  ],
  name: [
    { expr: NAME_KEY, dir: 'asc' },
    { expr: 'p.id', dir: 'asc' },
  ],
  '-name': [
    { expr: NAME_KEY, dir: 'desc' },
    { expr: 'p.id', dir: 'desc' },
  ],
  // Flagged first (they wait for a person), then pending, qualified, unqualified; newest first within each.
  referral_status: [
    { expr: STATUS_KEY, dir: 'asc' },
    { expr: 'p.created_at', dir: 'desc' },
    { expr: 'p.id', dir: 'desc' },
  ],
};

/** `ORDER BY` of a sort. */
export function orderBy(sort: ParticipantSort): string {
  return sortKeys[sort].map((k) => `${k.expr} ${k.dir.toUpperCase()}`).join(', ');
}

/**
 * The condition "comes after the participant `cursorParam` names" in a sort. The cursor row's own
 * values are read in SQL, so timestamps keep their full precision and the cursor stays short.
 */
export function afterCursor(sort: ParticipantSort, cursorParam: string): string {
  const keys = sortKeys[sort];
  const valueOf = (k: SortKey) => `(SELECT ${k.expr} FROM participants p WHERE p.id = ${cursorParam})`;
  if (keys.every((k) => k.dir === keys[0].dir)) {
    // One direction: a row comparison, which an index on the same columns serves.
    const op = keys[0].dir === 'asc' ? '>' : '<';
    return `(${keys.map((k) => k.expr).join(', ')}) ${op} (${keys.map(valueOf).join(', ')})`;
  }
  // Mixed directions: after on the first key that differs, equal on every key before it.
  const branches = keys.map((k, i) => {
    const equalBefore = keys.slice(0, i).map((e) => `${e.expr} = ${valueOf(e)}`);
    return `(${[...equalBefore, `${k.expr} ${k.dir === 'asc' ? '>' : '<'} ${valueOf(k)}`].join(' AND ')})`;
  });
  return `(${branches.join(' OR ')})`;
}

/** A participant list position as the opaque cursor the API hands out: the sort and the last id. */
export function encodeParticipantCursor(sort: ParticipantSort, lastId: string): string {
  return Buffer.from(`${sort}|${lastId}`).toString('base64url');
}

const invalidCursor = (message: string) => new ApiError('validation_failed', `cursor: ${message}`, [{ path: 'query.cursor', message }]);

/**
 * The participant id a cursor points after, checked against the sort asked for now: a cursor made
 * under another sort would skip or repeat rows, so it is refused. A bare id (the cursors handed out
 * before lists could be sorted) counts as a `-created_at` cursor.
 */
export function decodeParticipantCursor(cursor: string | undefined, sort: ParticipantSort): string | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.lastIndexOf('|');
  const madeFor = bar < 0 ? '-created_at' : text.slice(0, bar);
  const id = bar < 0 ? text : text.slice(bar + 1);
  if (!isId('participant', id) || !participantSorts.some((s) => s === madeFor)) throw invalidCursor('not a cursor from this API');
  if (madeFor !== sort) throw invalidCursor(`this cursor pages sort=${madeFor}, not sort=${sort}; ask again with sort=${madeFor}, or start over without a cursor`);
  return id;
}
