import type { Vendor } from '@referloop/connectors';
import type { HubContext } from '../context';
import { ApiError } from '../lib/errors';
import { randomToken } from '../lib/ids';
import { openIntegration } from './connector-context';
import { findIntegration, type IntegrationRow } from './rows';
import { callVendor } from './vendor-calls';

/**
 * DELETE /v1/integrations/{vendor}: remove our webhooks at the vendor, stop syncs, forget the
 * credentials. Participants, their vendor ids and the records at the vendor all stay. When the
 * vendor cannot be reached the integration is still disconnected here, and `last_error` says which
 * webhooks to remove by hand.
 */
export async function disconnectIntegration(hub: HubContext, workspaceId: string, vendor: Vendor): Promise<IntegrationRow> {
  const row = await findIntegration(hub.db, workspaceId, vendor);
  if (!row || row.status === 'disconnected') throw new ApiError('not_found', `${vendor} is not connected in this workspace`);

  let leftover: string | null = null;
  if (row.webhooks.length > 0) {
    try {
      const { connector, ctx } = await openIntegration(hub, row);
      await callVendor(hub, row, 'unregisterWebhooks', () => connector.unregisterWebhooks(ctx, row.webhooks), { maxAttempts: 3, maxInlineWaitMs: 5_000 });
    } catch (err) {
      const ids = row.webhooks.map((w) => w.id).join(', ');
      leftover = `disconnected, but the webhooks at ${vendor} (${ids}) could not be removed: ${err instanceof Error ? err.message : String(err)}`;
      hub.log.warn({ integration_id: row.id, vendor, err: err instanceof Error ? err.message : String(err) }, 'could not unregister vendor webhooks');
    }
  }
  const now = hub.now();
  return hub.db.tx(async (q) => {
    await q.query("UPDATE sync_runs SET state = 'cancelled', finished_at = $2, updated_at = $2 WHERE integration_id = $1 AND state IN ('queued', 'running')", [row.id, now]);
    const [updated] = await q.query<IntegrationRow>(
      `UPDATE integrations SET status = 'disconnected', credentials = NULL, webhook_secrets = NULL, webhooks = '[]'::jsonb,
         manual_webhooks = NULL, ongoing_sync = NULL, inbound_token = $2, last_error = $3, last_error_at = CASE WHEN $3::text IS NULL THEN NULL ELSE $4::timestamptz END,
         disconnected_at = $4, updated_at = $4
       WHERE id = $1 RETURNING *`,
      [row.id, randomToken(24), leftover, now],
    );
    return updated;
  });
}
