import type { Vendor } from '@referloop/connectors';
import type { Queryable } from '../db';
import type { IntegrationStatus } from '../schemas/integration';

/** An `integrations` row. Credentials stay sealed here; only `credentials.ts` opens them. */
export interface IntegrationRow {
  id: string;
  workspace_id: string;
  vendor: Vendor;
  status: IntegrationStatus;
  credentials: string | null;
  webhook_secrets: string | null;
  settings: Record<string, unknown>;
  api_base_url: string | null;
  account: { id: string; name?: string | null; warning?: string | null } | null;
  inbound_token: string;
  webhooks: Array<{ id: string; event: string; url: string }>;
  manual_webhooks: { events: string[]; instructions: string } | null;
  last_error: string | null;
  last_error_at: Date | null;
  ongoing_sync: { sync_id: string; campaign_id: string } | null;
  connected_at: Date | null;
  disconnected_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A `sync_runs` row. */
export interface SyncRunRow {
  id: string;
  workspace_id: string;
  integration_id: string;
  vendor: Vendor;
  campaign_id: string;
  mode: 'once' | 'ongoing';
  filter: Record<string, unknown> | null;
  state: 'queued' | 'running' | 'completed' | 'failed' | 'cancelled';
  total: number | null;
  processed: number;
  created: number;
  updated: number;
  failed: number;
  links_written: number;
  pages: number;
  cursor: string | null;
  pending_links: unknown;
  failures: Array<{ contact_id: string; message: string }>;
  last_error: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The workspace's integration with a vendor (disconnected ones included), or null. */
export async function findIntegration(q: Queryable, workspaceId: string, vendor: Vendor): Promise<IntegrationRow | null> {
  const [row] = await q.query<IntegrationRow>('SELECT * FROM integrations WHERE workspace_id = $1 AND vendor = $2', [workspaceId, vendor]);
  return row ?? null;
}

export async function findIntegrationById(q: Queryable, id: string): Promise<IntegrationRow | null> {
  const [row] = await q.query<IntegrationRow>('SELECT * FROM integrations WHERE id = $1', [id]);
  return row ?? null;
}

/** The active integration an inbound URL belongs to (a disconnected one no longer receives). */
export async function findIntegrationByToken(q: Queryable, vendor: Vendor, token: string): Promise<IntegrationRow | null> {
  const [row] = await q.query<IntegrationRow>("SELECT * FROM integrations WHERE inbound_token = $1 AND vendor = $2 AND status <> 'disconnected'", [token, vendor]);
  return row ?? null;
}

/** Every active integration of a workspace (the push fan-out and the list route). */
export async function activeIntegrations(q: Queryable, workspaceId: string): Promise<IntegrationRow[]> {
  return q.query<IntegrationRow>("SELECT * FROM integrations WHERE workspace_id = $1 AND status <> 'disconnected' ORDER BY vendor", [workspaceId]);
}

/** Record what went wrong with a vendor (and the status it leaves the integration in). */
export async function recordIntegrationError(q: Queryable, id: string, status: IntegrationStatus | null, message: string, at: Date): Promise<void> {
  await q.query(
    `UPDATE integrations SET last_error = $2, last_error_at = $3, updated_at = $3,
       status = CASE WHEN status = 'disconnected' OR $4::text IS NULL THEN status ELSE $4::text END
     WHERE id = $1`,
    [id, message.slice(0, 1000), at, status],
  );
}
