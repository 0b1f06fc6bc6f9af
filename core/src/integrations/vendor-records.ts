import { stageObjects, stageStatuses, type ParticipantMatch, type Vendor, type VendorIds } from '@referloop/connectors';
import { z } from 'zod';
import type { Queryable } from '../db';
import { normalizeCode } from '../lib/codes';
import { emailKey } from '../lib/email';

/** A record's stage as a participant's `crm.<vendor>.stage` keeps it: every field present, `changed_at` when it entered the stage. */
export const crmStageSchema = z.object({
  object: z.enum(stageObjects),
  record_id: z.string(),
  pipeline_id: z.string().nullable(),
  pipeline: z.string().nullable(),
  stage_id: z.string(),
  stage: z.string().nullable(),
  status: z.enum(stageStatuses).nullable(),
  changed_at: z.string(),
});
export type CrmStage = z.infer<typeof crmStageSchema>;

/** What a participant's `crm.<vendor>` holds. */
export const crmEntrySchema = z.object({
  ids: z.record(z.string(), z.string()).default({}),
  /** `sync` when the participant came from this vendor's contacts, `push` when we made the record */
  origin: z.enum(['push', 'sync']).optional(),
  pushed_at: z.string().optional(),
  link_written_at: z.string().optional(),
  /** where the vendor record stands now (record-stage.ts); one that no longer parses is dropped, never the ids */
  stage: crmStageSchema.optional().catch(undefined),
});
export type CrmEntry = z.infer<typeof crmEntrySchema>;

/** A participant's entry for one vendor (empty when there is none or it does not parse). */
export function crmEntryOf(crm: Record<string, unknown>, vendor: Vendor): CrmEntry | null {
  const parsed = crmEntrySchema.safeParse(crm[vendor]);
  return parsed.success ? parsed.data : null;
}

/** A participant's `crm` as the API shows it: each vendor's entry read through `crmEntrySchema` (one that does not parse is left out). */
export function crmView(crm: Record<string, unknown>): Record<string, CrmEntry> {
  const out: Record<string, CrmEntry> = {};
  for (const [vendor, raw] of Object.entries(crm)) {
    const parsed = crmEntrySchema.safeParse(raw);
    if (parsed.success) out[vendor] = parsed.data;
  }
  return out;
}

/**
 * Store vendor ids on a participant: merged into `crm.<vendor>` (what the API shows) and indexed
 * in `vendor_records` (what inbound signals are matched by). In the caller's transaction.
 */
export async function storeVendorIds(q: Queryable, workspaceId: string, participantId: string, vendor: Vendor, ids: VendorIds, extra: Omit<CrmEntry, 'ids'>): Promise<void> {
  const [row] = await q.query<{ crm: Record<string, unknown> }>('SELECT crm FROM participants WHERE id = $1 AND workspace_id = $2 FOR UPDATE', [participantId, workspaceId]);
  if (!row) return;
  const current = crmEntryOf(row.crm, vendor);
  const entry: CrmEntry = { ...current, ...extra, origin: current?.origin ?? extra.origin, ids: { ...(current?.ids ?? {}), ...ids } };
  await q.query('UPDATE participants SET crm = crm || $3::jsonb WHERE id = $1 AND workspace_id = $2', [participantId, workspaceId, JSON.stringify({ [vendor]: entry })]);
  for (const [object, recordId] of Object.entries(ids)) {
    await q.query(
      'INSERT INTO vendor_records (workspace_id, vendor, object, record_id, participant_id) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING',
      [workspaceId, vendor, object, recordId, participantId],
    );
  }
}

/** The participant fields a vendor signal is applied with. */
export interface MatchedParticipant {
  id: string;
  campaign_id: string;
  type: 'direct' | 'referred' | 'imported';
  referral_status: 'pending' | 'qualified' | 'unqualified' | 'flagged' | null;
  created_at: Date;
  via: 'record' | 'referral_code' | 'email';
}

const COLUMNS = 'p.id, p.campaign_id, p.type, p.referral_status, p.created_at';
// Several candidates (one vendor person, two campaigns): a referral first, then the newest.
const ORDER = "ORDER BY (p.type = 'referred') DESC, p.created_at DESC LIMIT 1";

/**
 * Find the participant a vendor signal is about: by the vendor record id we stored, then by the
 * referral code on the vendor record, then by email. `campaignIds` (null = any) keeps the match
 * inside the campaigns the integration and the signal's rule cover.
 */
export async function matchParticipant(q: Queryable, workspaceId: string, vendor: Vendor, match: ParticipantMatch, campaignIds: string[] | null): Promise<MatchedParticipant | null> {
  const tries: Array<[MatchedParticipant['via'], string, unknown[]]> = [];
  if (match.record) {
    tries.push([
      'record',
      `SELECT ${COLUMNS} FROM vendor_records r JOIN participants p ON p.id = r.participant_id
       WHERE r.workspace_id = $1 AND r.vendor = $2 AND r.object = $3 AND r.record_id = $4`,
      [workspaceId, vendor, match.record.object, match.record.id],
    ]);
  }
  if (match.records) {
    tries.push([
      'record',
      `SELECT ${COLUMNS} FROM vendor_records r
       JOIN unnest($3::text[], $4::text[]) AS m(object, record_id) ON r.object = m.object AND r.record_id = m.record_id
       JOIN participants p ON p.id = r.participant_id
       WHERE r.workspace_id = $1 AND r.vendor = $2`,
      [workspaceId, vendor, match.records.map((r) => r.object), match.records.map((r) => r.id)],
    ]);
  }
  if (match.referral_code) tries.push(['referral_code', `SELECT ${COLUMNS} FROM participants p WHERE p.workspace_id = $1 AND p.code = $2`, [workspaceId, normalizeCode(match.referral_code)]]);
  if (match.email) tries.push(['email', `SELECT ${COLUMNS} FROM participants p WHERE p.workspace_id = $1 AND p.email_key = $2`, [workspaceId, emailKey(match.email)]]);
  for (const [via, sql, params] of tries) {
    const scoped = campaignIds === null ? `${sql} ${ORDER}` : `${sql} AND p.campaign_id = ANY($${params.length + 1}::text[]) ${ORDER}`;
    const [row] = await q.query<Omit<MatchedParticipant, 'via'>>(scoped, campaignIds === null ? params : [...params, campaignIds]);
    if (row) return { ...row, via };
  }
  return null;
}
