import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { emitEvent } from '../events/emit';
import type { WebhookEndpointRow } from './rows';
import { toWebhookEndpoint } from './serialize';

/** Failed attempts in a row after which an endpoint is switched off. */
export const MAX_CONSECUTIVE_FAILURES = 20;

/**
 * Switch an endpoint off and say so with a `webhook_endpoint.disabled` event, in the caller's
 * transaction. Does nothing when it is already off (two failing deliveries may race here).
 */
export async function disableEndpoint(q: Queryable, clock: Pick<HubContext, 'now'>, endpointId: string, reason: string): Promise<boolean> {
  const [row] = await q.query<WebhookEndpointRow>(
    `UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = $3, updated_at = $3
     WHERE id = $1 AND enabled RETURNING *`,
    [endpointId, reason, clock.now()],
  );
  if (!row) return false;
  await emitEvent(q, clock, { workspaceId: row.workspace_id, campaignId: row.campaign_id, type: 'webhook_endpoint.disabled', data: toWebhookEndpoint(row) });
  return true;
}
