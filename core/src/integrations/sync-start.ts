import type { Vendor } from '@referloop/connectors';
import { z } from 'zod';
import type { HubContext } from '../context';
import { fieldErrors } from '../http/validation';
import { enqueue } from '../jobs/enqueue';
import { ApiError, invalidField } from '../lib/errors';
import { newId } from '../lib/ids';
import type { StartSyncInput } from '../schemas/integration';
import { requireConnector } from './connector-context';
import { findIntegration, type IntegrationRow, type SyncRunRow } from './rows';

async function requireActive(hub: HubContext, workspaceId: string, vendor: Vendor): Promise<IntegrationRow> {
  const row = await findIntegration(hub.db, workspaceId, vendor);
  if (!row || row.status === 'disconnected') throw new ApiError('not_found', `${vendor} is not connected in this workspace`);
  return row;
}

/** The campaign contacts join: the one asked for, else the only one the settings name, else the workspace's only campaign. */
async function pickCampaign(hub: HubContext, row: IntegrationRow, asked: string | undefined): Promise<string> {
  const configured = Object.keys(z.object({ campaigns: z.record(z.string(), z.unknown()).default({}) }).parse(row.settings).campaigns);
  if (asked) {
    const found = await hub.db.query('SELECT 1 FROM campaigns WHERE id = $1 AND workspace_id = $2', [asked, row.workspace_id]);
    if (found.length === 0) throw invalidField('campaign_id', `no campaign '${asked}' in this workspace`);
    if (configured.length > 0 && !configured.includes(asked)) throw invalidField('campaign_id', `the ${row.vendor} settings do not cover campaign '${asked}'`);
    return asked;
  }
  if (configured.length === 1) return configured[0];
  const all = await hub.db.query<{ id: string }>('SELECT id FROM campaigns WHERE workspace_id = $1 ORDER BY id LIMIT 2', [row.workspace_id]);
  if (configured.length === 0 && all.length === 1) return all[0].id;
  throw invalidField('campaign_id', 'is required: say which campaign the synced contacts join');
}

/**
 * POST /v1/integrations/{vendor}/sync: record a sync run and enqueue the job that walks the
 * vendor's contacts. One sync at a time per integration; `ongoing` also keeps importing contacts
 * the vendor reports as created afterwards.
 */
export async function startSync(hub: HubContext, workspaceId: string, vendor: Vendor, input: StartSyncInput): Promise<SyncRunRow> {
  const row = await requireActive(hub, workspaceId, vendor);
  if (row.status === 'needs_reconnect') throw new ApiError('conflict', `${vendor} needs to be reconnected before it can sync`);
  const connector = await requireConnector(vendor);
  let filter: Record<string, unknown> | null = null;
  if (input.filter) {
    const parsed = (connector.syncFilterSchema ?? z.object({}).strict()).safeParse(input.filter);
    if (!parsed.success) {
      const errors = fieldErrors(parsed.error, 'filter');
      throw new ApiError('validation_failed', `${errors[0].path}: ${errors[0].message}`, errors);
    }
    filter = parsed.data;
  }
  const campaignId = await pickCampaign(hub, row, input.campaign_id);
  const now = hub.now();
  return hub.db.tx(async (q) => {
    await q.query('SELECT id FROM integrations WHERE id = $1 FOR UPDATE', [row.id]);
    const [running] = await q.query<{ id: string }>("SELECT id FROM sync_runs WHERE integration_id = $1 AND state IN ('queued', 'running') LIMIT 1", [row.id]);
    if (running) throw new ApiError('conflict', `sync ${running.id} is still running`, undefined, { sync_id: running.id });
    const [sync] = await q.query<SyncRunRow>(
      `INSERT INTO sync_runs (id, workspace_id, integration_id, vendor, campaign_id, mode, filter, state, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,'queued',$8,$8) RETURNING *`,
      [newId('sync'), workspaceId, row.id, vendor, campaignId, input.mode, filter ? JSON.stringify(filter) : null, now],
    );
    if (input.mode === 'ongoing') {
      await q.query('UPDATE integrations SET ongoing_sync = $2::jsonb, updated_at = $3 WHERE id = $1', [row.id, JSON.stringify({ sync_id: sync.id, campaign_id: campaignId }), now]);
    }
    await enqueue(q, 'sync.run', { sync_id: sync.id });
    return sync;
  });
}

/** GET /v1/integrations/{vendor}/syncs/{id} */
export async function getSync(hub: HubContext, workspaceId: string, vendor: Vendor, id: string): Promise<SyncRunRow> {
  const [row] = await hub.db.query<SyncRunRow>('SELECT * FROM sync_runs WHERE id = $1 AND workspace_id = $2 AND vendor = $3', [id, workspaceId, vendor]);
  if (!row) throw new ApiError('not_found', `No ${vendor} sync with id '${id}' in this workspace`);
  return row;
}

/** GET /v1/integrations/{vendor}/syncs: newest first. */
export async function listSyncs(hub: HubContext, workspaceId: string, vendor: Vendor, limit: number, cursor: string | undefined): Promise<{ rows: SyncRunRow[]; next: string | null }> {
  const rows = await hub.db.query<SyncRunRow>(
    'SELECT * FROM sync_runs WHERE workspace_id = $1 AND vendor = $2 AND ($3::text IS NULL OR id < $3::text) ORDER BY id DESC LIMIT $4',
    [workspaceId, vendor, cursor ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  return { rows: page, next: rows.length > limit ? page[page.length - 1].id : null };
}
