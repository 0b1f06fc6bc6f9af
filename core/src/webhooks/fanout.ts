import type { Queryable } from '../db';
import type { EventRow } from '../events/envelope';
import { enqueueMany } from '../jobs/enqueue';
import { newId } from '../lib/ids';
import { webhookDeliverJob } from './deliver-job';

interface EndpointMatch {
  id: string;
  workspace_id: string;
  campaign_id: string | null;
  events: string[];
}

/**
 * The relay's webhook fan-out: one delivery (and one delivery job) per event and subscribed,
 * enabled endpoint, written in the relay's transaction together with the events' relayed mark.
 */
export async function fanOutToWebhooks(q: Queryable, events: EventRow[]): Promise<void> {
  const workspaces = [...new Set(events.map((e) => e.workspace_id))];
  const endpoints = await q.query<EndpointMatch>(
    'SELECT id, workspace_id, campaign_id, events FROM webhook_endpoints WHERE enabled AND workspace_id = ANY($1::text[])',
    [workspaces],
  );
  if (endpoints.length === 0) return;
  const rows: { id: string; workspace: string; endpoint: string; event: string; type: string }[] = [];
  for (const event of events) {
    for (const ep of endpoints) {
      if (ep.workspace_id !== event.workspace_id) continue;
      if (ep.campaign_id !== null && ep.campaign_id !== event.campaign_id) continue;
      if (!ep.events.includes('*') && !ep.events.includes(event.type)) continue;
      rows.push({ id: newId('delivery'), workspace: event.workspace_id, endpoint: ep.id, event: event.id, type: event.type });
    }
  }
  if (rows.length === 0) return;
  const inserted = await q.query<{ id: string }>(
    `INSERT INTO webhook_deliveries (id, workspace_id, endpoint_id, event_id, event_type, status)
     SELECT id, ws, ep, ev, ty, 'pending' FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS t(id, ws, ep, ev, ty)
     ON CONFLICT (endpoint_id, event_id) WHERE retry_of IS NULL DO NOTHING RETURNING id`,
    [rows.map((r) => r.id), rows.map((r) => r.workspace), rows.map((r) => r.endpoint), rows.map((r) => r.event), rows.map((r) => r.type)],
  );
  await enqueueMany(q, webhookDeliverJob, inserted.map((r) => ({ delivery_id: r.id })));
}
