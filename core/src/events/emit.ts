import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { ring } from '../jobs/wake';
import { newId } from '../lib/ids';
import type { EventType } from './types';

export interface NewEvent {
  workspaceId: string;
  campaignId: string | null;
  type: EventType;
  data: Record<string, unknown>;
}

/**
 * Write an event row. Always call it with the transaction that makes the change it describes:
 * the events table is the outbox, so an event exists exactly when its change was committed. Its
 * `created_at` is the hub's clock, as the resource it carries is dated (the feed orders by `seq`).
 */
export async function emitEvent(q: Queryable, clock: Pick<HubContext, 'now'>, event: NewEvent): Promise<string> {
  const id = newId('event');
  await q.query('INSERT INTO events (id, workspace_id, campaign_id, type, data, created_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6)', [
    id,
    event.workspaceId,
    event.campaignId,
    event.type,
    JSON.stringify(event.data),
    clock.now(),
  ]);
  // Wake this process's relay; it polls fast for a moment in case the transaction commits later.
  ring('events');
  return id;
}
