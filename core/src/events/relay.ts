import type { Db, Queryable } from '../db';
import { fanOutToRewardIssuers } from '../integrations/issue-reward';
import { fanOutToCrms } from '../integrations/push';
import { ring } from '../jobs/wake';
import { fanOutToWebhooks } from '../webhooks/fanout';
import type { EventRow } from './envelope';

/** Something the relay does with each batch of committed events, inside the relay's transaction. */
export type EventFanout = (q: Queryable, events: EventRow[]) => Promise<void>;

/**
 * Everything events are turned into. Webhook deliveries today; the integration framework adds its
 * CRM pushes here (one line). Built on first use so that importing modules cannot leave an entry
 * undefined through an import cycle.
 */
function eventFanouts(): EventFanout[] {
  return [fanOutToWebhooks, fanOutToCrms, fanOutToRewardIssuers];
}

/** Events relayed per transaction. */
export const RELAY_BATCH = 200;

/**
 * Relay one batch of committed, not yet relayed events: fan them out and mark them relayed in one
 * transaction. Rows are claimed with SKIP LOCKED and selected by `relayed_at IS NULL` rather than
 * a high-water mark, so several relays can run at once, an event whose transaction committed after
 * a later-numbered one is still picked up, and after a crash the relay resumes exactly where the
 * last committed batch ended. Returns how many events were relayed.
 */
export async function relayEvents(db: Db, limit = RELAY_BATCH): Promise<number> {
  const relayed = await db.tx(async (q) => {
    const events = await q.query<EventRow>(
      `SELECT id, seq, workspace_id, campaign_id, type, data, created_at FROM events
       WHERE relayed_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    if (events.length === 0) return 0;
    for (const fanout of eventFanouts()) await fanout(q, events);
    await q.query('UPDATE events SET relayed_at = now() WHERE id = ANY($1::text[])', [events.map((e) => e.id)]);
    return events.length;
  });
  // The jobs just written are committed now: wake this process's runner or dispatcher for them.
  if (relayed > 0) ring('jobs');
  return relayed;
}
