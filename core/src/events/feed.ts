import { z } from 'zod';
import type { Db } from '../db';
import { invalidField } from '../lib/errors';
import { toEnvelope, type EventRow } from './envelope';
import { eventTypes, type EventEnvelope } from './types';

/** GET /v1/events query. */
export const eventFeedQuerySchema = z.object({
  type: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return undefined;
      const list = v.split(',').map((t) => t.trim());
      for (const t of list) {
        if (!(eventTypes as readonly string[]).includes(t)) {
          ctx.addIssue({ code: 'custom', message: `unknown event type '${t}'` });
          return z.NEVER;
        }
      }
      return list;
    })
    .meta({ description: 'One event type or several, comma-separated' }),
  campaign_id: z.string().min(1).optional(),
  after: z.string().min(1).optional().meta({ description: 'Only events that came after this event id (what a poller saw last)' }),
  order: z.enum(['desc', 'asc']).default('desc').meta({ description: 'desc: newest first (default); asc: oldest first' }),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});
export type EventFeedQuery = z.infer<typeof eventFeedQuerySchema>;

/** How long a request waits for older transactions to finish before answering without their followers. */
const SETTLE_MS = 1000;

/**
 * Committed events of this workspace can be held back for a moment by another transaction that
 * is still open (anywhere on the server: transaction ids are cluster-wide). Such transactions are
 * normally milliseconds long, so wait for them — briefly — rather than answer a poller with a feed
 * that is a few events short.
 */
async function settle(db: Db, workspaceId: string): Promise<void> {
  const deadline = Date.now() + SETTLE_MS;
  for (;;) {
    const [held] = await db.query<{ held: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM events WHERE workspace_id = $1 AND txid >= pg_snapshot_xmin(pg_current_snapshot())) AS held',
      [workspaceId],
    );
    if (!held.held || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

interface Position {
  txid: string;
  seq: number;
}

async function positionOf(db: Db, workspaceId: string, eventId: string, field: string): Promise<Position> {
  const [pos] = await db.query<Position>('SELECT txid::text AS txid, seq FROM events WHERE id = $1 AND workspace_id = $2', [eventId, workspaceId]);
  if (!pos) throw invalidField(field, `no event '${eventId}' in this workspace`);
  return pos;
}

/**
 * The polling feed. Events are ordered by (transaction id, seq) and only shown once every
 * transaction older than theirs has finished, so the feed only ever grows at its new end: a poller
 * that keeps the last id it saw and asks `after` it never misses an event that committed late.
 */
export async function listEvents(db: Db, workspaceId: string, query: EventFeedQuery, cursorId: string | undefined) {
  await settle(db, workspaceId);
  const after = query.after ? await positionOf(db, workspaceId, query.after, 'query.after') : null;
  const cursor = cursorId ? await positionOf(db, workspaceId, cursorId, 'query.cursor') : null;
  const desc = query.order === 'desc';
  const rows = await db.query<EventRow>(
    `SELECT id, seq, workspace_id, campaign_id, type, data, created_at FROM events
     WHERE workspace_id = $1 AND txid < pg_snapshot_xmin(pg_current_snapshot())
       AND ($2::text[] IS NULL OR type = ANY($2::text[]))
       AND ($3::text IS NULL OR campaign_id = $3)
       AND ($4::xid8 IS NULL OR (txid, seq) > ($4::xid8, $5::bigint))
       AND ($6::xid8 IS NULL OR ${desc ? '(txid, seq) < ($6::xid8, $7::bigint)' : '(txid, seq) > ($6::xid8, $7::bigint)'})
     ORDER BY txid ${desc ? 'DESC' : 'ASC'}, seq ${desc ? 'DESC' : 'ASC'} LIMIT $8`,
    [workspaceId, query.type ?? null, query.campaign_id ?? null, after?.txid ?? null, after?.seq ?? null, cursor?.txid ?? null, cursor?.seq ?? null, query.limit + 1],
  );
  const more = rows.length > query.limit;
  const page = more ? rows.slice(0, query.limit) : rows;
  const data: EventEnvelope[] = page.map(toEnvelope);
  return { data, next_cursor: more ? Buffer.from(page[page.length - 1].id).toString('base64url') : null };
}
