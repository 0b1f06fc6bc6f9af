import type { Readable } from 'node:stream';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { changeReferralStatus } from '../domain/qualification';
import { normalizeCode } from '../lib/codes';
import { emailKey } from '../lib/email';
import { emailSchema } from '../schemas/common';
import type { CustomersImportSummary } from '../schemas/import';
import { inBatches, readCsvRows, type CsvRow } from './csv-rows';
import { IMPORT_BATCH_SIZE, InvalidRows, type ImportProgress } from './invalid-rows';

const columns = {
  email: ['email_address', 'e_mail', 'mail', 'customer_email'],
  code: ['referral_code', 'ref', 'ref_code', 'coupon_code'],
} as const;
type Column = keyof typeof columns;

interface Match {
  id: string;
  email_key: string;
  code: string;
  type: string;
  referral_status: 'pending' | 'qualified' | 'unqualified' | 'flagged' | null;
  held_status: string | null;
}

type Counter = 'qualified' | 'already_qualified' | 'held_for_review' | 'not_referred' | 'unqualified' | 'not_found';

/**
 * A customer list: every row whose code (or else email) is a participant of the campaign marks
 * that person a customer, so a pending referral among them is qualified through the one
 * qualification path (source `csv`). The qualification carries the idempotency key
 * `csv:<participant>`, so however often a list is uploaded, nobody is qualified by it twice.
 * Rows are read in batches of 1,000: one lookup, then one transaction for the batch.
 */
export async function importCustomers(
  ctx: HubContext,
  workspaceId: string,
  campaignId: string,
  source: Readable,
  onProgress?: ImportProgress,
): Promise<CustomersImportSummary> {
  const started = Date.now();
  const invalid = new InvalidRows();
  const counts: Record<Counter, number> = { qualified: 0, already_qualified: 0, held_for_review: 0, not_referred: 0, unqualified: 0, not_found: 0 };
  let rows = 0;
  for await (const batch of inBatches(readCsvRows(source, columns, { anyOf: ['email', 'code'] }), IMPORT_BATCH_SIZE)) {
    rows += batch.length;
    const keyed = keyRows(batch, invalid);
    if (keyed.length > 0) await applyBatch(ctx, workspaceId, campaignId, keyed, counts);
    onProgress?.(rows);
  }
  const matched = counts.qualified + counts.already_qualified + counts.held_for_review + counts.not_referred + counts.unqualified;
  return {
    object: 'import',
    kind: 'customers',
    campaign_id: campaignId,
    rows,
    matched,
    ...counts,
    invalid_count: invalid.count,
    invalid: invalid.sorted(),
    invalid_truncated: invalid.truncated,
    duration_ms: Date.now() - started,
  };
}

type KeyedRow = { line: number; by: 'code' | 'email'; key: string };

/** Each row's lookup key (its code, else its email); rows with neither are invalid. */
function keyRows(batch: CsvRow<Column>[], invalid: InvalidRows): KeyedRow[] {
  const out: KeyedRow[] = [];
  for (const row of batch) {
    if (row.problem) invalid.add(row.line, row.problem);
    else if (row.values.code) out.push({ line: row.line, by: 'code', key: normalizeCode(row.values.code) });
    else if (!row.values.email) invalid.add(row.line, 'no email and no code');
    else if (!emailSchema.safeParse(row.values.email).success) invalid.add(row.line, `email: '${row.values.email.slice(0, 100)}' is not a valid email address`);
    else out.push({ line: row.line, by: 'email', key: emailKey(row.values.email) });
  }
  return out;
}

async function applyBatch(ctx: HubContext, workspaceId: string, campaignId: string, rows: KeyedRow[], counts: Record<Counter, number>) {
  await ctx.db.tx(async (q) => {
    // Two lookups rather than one with OR: each then walks its own index.
    const select = 'SELECT id, email_key, code, type, referral_status, held_status FROM participants WHERE campaign_id = $1 AND workspace_id = $2';
    const emails = rows.filter((r) => r.by === 'email').map((r) => r.key);
    const codes = rows.filter((r) => r.by === 'code').map((r) => r.key);
    const found = [
      ...(emails.length > 0 ? await q.query<Match>(`${select} AND email_key = ANY($3::text[])`, [campaignId, workspaceId, emails]) : []),
      ...(codes.length > 0 ? await q.query<Match>(`${select} AND code = ANY($3::text[])`, [campaignId, workspaceId, codes]) : []),
    ];
    const byEmail = new Map(found.map((m) => [m.email_key, m]));
    const byCode = new Map(found.map((m) => [m.code, m]));
    for (const row of rows) {
      const match = row.by === 'code' ? byCode.get(row.key) : byEmail.get(row.key);
      counts[match ? await qualifyMatch(q, ctx, workspaceId, match) : 'not_found']++;
    }
  });
}

async function qualifyMatch(q: Queryable, ctx: HubContext, workspaceId: string, match: Match): Promise<Counter> {
  if (match.type !== 'referred' || match.referral_status === null) return 'not_referred';
  if (match.referral_status === 'qualified') return 'already_qualified';
  if (match.referral_status === 'unqualified') return 'unqualified';
  if (match.referral_status === 'flagged' && match.held_status === 'qualified') return 'held_for_review';
  const outcome = await changeReferralStatus(q, ctx, workspaceId, { participant_id: match.id }, 'qualified', {
    source: 'csv',
    reason: 'in an uploaded customer list',
    idempotencyKey: `csv:${match.id}`,
  });
  // Later rows of the same person in this batch see the new state.
  match.referral_status = outcome.referral.referral_status;
  match.held_status = outcome.referral.held_status;
  if (outcome.referral.referral_status === 'flagged') return 'held_for_review';
  return outcome.changed ? 'qualified' : 'already_qualified';
}
