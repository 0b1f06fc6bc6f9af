import type { HubContext } from '../context';
import { enqueue } from '../jobs/enqueue';
import { randomSecret } from '../lib/crypto';
import { ApiError, invalidField, notFound } from '../lib/errors';
import { newId } from '../lib/ids';
import { webhookDeliverJob } from './deliver-job';
import type { WebhookDeliveryRow, WebhookEndpointRow } from './rows';
import type { CreateWebhookInput, UpdateWebhookInput } from './schemas';
import { checkWebhookTarget } from './ssrf';

/** Refuse a URL the hub must not call (see ssrf.ts); the error names the `url` field. */
async function assertDeliverable(hub: HubContext, url: string): Promise<void> {
  const check = await checkWebhookTarget(url, hub.config.ALLOW_PRIVATE_WEBHOOK_URLS);
  if (!check.ok) throw invalidField('url', check.reason);
}

/** Subscribe: a new endpoint with its own signing secret (`whsec_…`). */
export async function createEndpoint(hub: HubContext, workspaceId: string, input: CreateWebhookInput): Promise<WebhookEndpointRow> {
  await assertDeliverable(hub, input.url);
  if (input.campaign_id) {
    const found = await hub.db.query('SELECT 1 FROM campaigns WHERE id = $1 AND workspace_id = $2', [input.campaign_id, workspaceId]);
    if (found.length === 0) throw invalidField('campaign_id', `no campaign '${input.campaign_id}' in this workspace`);
  }
  const [row] = await hub.db.query<WebhookEndpointRow>(
    `INSERT INTO webhook_endpoints (id, workspace_id, campaign_id, url, description, events, secret)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) RETURNING *`,
    [newId('webhook'), workspaceId, input.campaign_id ?? null, input.url, input.description ?? null, JSON.stringify([...new Set(input.events)]), `whsec_${randomSecret(24)}`],
  );
  return row;
}

export async function getEndpoint(hub: HubContext, workspaceId: string, id: string): Promise<WebhookEndpointRow> {
  const [row] = await hub.db.query<WebhookEndpointRow>('SELECT * FROM webhook_endpoints WHERE id = $1 AND workspace_id = $2', [id, workspaceId]);
  if (!row) throw notFound('webhook endpoint', id);
  return row;
}

/** Change url, events, description, or switch it on and off; switching on forgets past failures. */
export async function updateEndpoint(hub: HubContext, workspaceId: string, id: string, input: UpdateWebhookInput): Promise<WebhookEndpointRow> {
  await getEndpoint(hub, workspaceId, id);
  if (input.url !== undefined) await assertDeliverable(hub, input.url);
  const [row] = await hub.db.query<WebhookEndpointRow>(
    `UPDATE webhook_endpoints SET
       url = COALESCE($3, url),
       events = COALESCE($4::jsonb, events),
       description = CASE WHEN $5 THEN $6 ELSE description END,
       enabled = COALESCE($7, enabled),
       disabled_reason = CASE WHEN $7 IS TRUE THEN NULL WHEN $7 IS FALSE AND enabled THEN 'manual' ELSE disabled_reason END,
       disabled_at = CASE WHEN $7 IS TRUE THEN NULL WHEN $7 IS FALSE AND enabled THEN now() ELSE disabled_at END,
       consecutive_failures = CASE WHEN $7 IS TRUE THEN 0 ELSE consecutive_failures END,
       updated_at = now()
     WHERE id = $1 AND workspace_id = $2 RETURNING *`,
    [
      id,
      workspaceId,
      input.url ?? null,
      input.events ? JSON.stringify([...new Set(input.events)]) : null,
      input.description !== undefined,
      input.description ?? null,
      input.enabled ?? null,
    ],
  );
  return row;
}

/** Unsubscribe: the endpoint and its delivery log go; deliveries not yet made are dropped. */
export async function deleteEndpoint(hub: HubContext, workspaceId: string, id: string): Promise<void> {
  const rows = await hub.db.query('DELETE FROM webhook_endpoints WHERE id = $1 AND workspace_id = $2 RETURNING id', [id, workspaceId]);
  if (rows.length === 0) throw notFound('webhook endpoint', id);
}

/**
 * Deliver an event again (a new delivery of the same event id, so receivers still dedupe it).
 * Refused while the endpoint is disabled: re-enable it first.
 */
export async function redeliver(hub: HubContext, workspaceId: string, endpointId: string, deliveryId: string): Promise<WebhookDeliveryRow> {
  const endpoint = await getEndpoint(hub, workspaceId, endpointId);
  if (!endpoint.enabled) throw new ApiError('conflict', 'This endpoint is disabled; enable it (PATCH enabled: true) before redelivering');
  return hub.db.tx(async (q) => {
    const [original] = await q.query<WebhookDeliveryRow>(
      'SELECT * FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2 AND workspace_id = $3',
      [deliveryId, endpointId, workspaceId],
    );
    if (!original) throw notFound('delivery', deliveryId);
    const [copy] = await q.query<WebhookDeliveryRow>(
      `INSERT INTO webhook_deliveries (id, workspace_id, endpoint_id, event_id, event_type, status, retry_of)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING *`,
      [newId('delivery'), workspaceId, endpointId, original.event_id, original.event_type, original.retry_of ?? original.id],
    );
    await enqueue(q, webhookDeliverJob, { delivery_id: copy.id });
    return copy;
  });
}
