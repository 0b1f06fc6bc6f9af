import type { Integration, SyncRun } from '../schemas/integration';
import { inboundUrl } from './connector-context';
import type { IntegrationRow, SyncRunRow } from './rows';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The integration resource: status, settings, webhooks and errors. Credentials are never part of it. */
export function toIntegration(row: IntegrationRow, publicUrl: string): Integration {
  return {
    object: 'integration',
    id: row.id,
    vendor: row.vendor,
    status: row.status,
    account: row.account,
    settings: row.settings,
    api_base_url: row.api_base_url,
    inbound_url: inboundUrl(publicUrl, row),
    webhooks: row.webhooks,
    manual_webhooks: row.manual_webhooks,
    ongoing_sync: row.ongoing_sync,
    last_error: row.last_error,
    last_error_at: iso(row.last_error_at),
    connected_at: iso(row.connected_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toSyncRun(row: SyncRunRow): SyncRun {
  return {
    object: 'sync_run',
    id: row.id,
    vendor: row.vendor,
    campaign_id: row.campaign_id,
    mode: row.mode,
    filter: row.filter,
    state: row.state,
    total: row.total,
    processed: row.processed,
    created: row.created,
    updated: row.updated,
    failed: row.failed,
    links_written: row.links_written,
    pages: row.pages,
    cursor: row.cursor,
    failures: row.failures,
    last_error: row.last_error,
    started_at: iso(row.started_at),
    finished_at: iso(row.finished_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
