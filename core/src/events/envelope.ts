import { orderLike } from './key-order';
import { eventDataSchemas } from './schemas';
import type { EventEnvelope, EventType } from './types';

/** An events row as stored. */
export interface EventRow {
  id: string;
  seq: number;
  workspace_id: string;
  campaign_id: string | null;
  type: EventType;
  data: Record<string, unknown>;
  created_at: Date;
}

/** The envelope webhooks deliver and the feed lists: one shape, one function. */
export function toEnvelope(row: Pick<EventRow, 'id' | 'type' | 'created_at' | 'workspace_id' | 'campaign_id' | 'data'>): EventEnvelope {
  return {
    id: row.id,
    type: row.type,
    created_at: row.created_at.toISOString(),
    workspace_id: row.workspace_id,
    campaign_id: row.campaign_id,
    data: eventDataSchemas[row.type] ? (orderLike(row.data, eventDataSchemas[row.type]) as Record<string, unknown>) : row.data,
  };
}
