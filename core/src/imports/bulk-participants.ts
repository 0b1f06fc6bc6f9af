import type { HubContext } from '../context';
import type { Queryable } from '../db';
import type { CampaignRow, ParticipantRow, ParticipantView } from '../domain/rows';
import { toParticipant } from '../domain/serialize';
import { generateCode } from '../lib/codes';
import { canonicalEmail, emailKey } from '../lib/email';
import { newId, randomToken } from '../lib/ids';

/** A person to add as `imported` (no referrer: nothing to check for fraud, no referral events). */
export interface ImportedPerson {
  email: string;
  first_name?: string;
  last_name?: string;
  external_id?: string;
}

const COLUMNS = [
  'id', 'workspace_id', 'campaign_id', 'type', 'email', 'email_key', 'email_canonical', 'first_name', 'last_name',
  'external_id', 'code', 'share_token', 'created_at', 'updated_at',
] as const;

// Generated codes are random: in a very large campaign one may collide with another; such rows
// are drawn again, a few times at most (like createParticipant does one at a time).
const CODE_ATTEMPTS = 4;

function valuesSql(rowCount: number, width: number): string {
  const rows: string[] = [];
  for (let r = 0; r < rowCount; r++) rows.push(`(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(',')})`);
  return rows.join(',');
}

/**
 * Add people without a referrer in a few multi-row statements instead of a dozen queries each:
 * the same row, timeline entry and `participant.created` event createParticipant writes, for a
 * whole batch, in the caller's transaction. Emails already in the campaign are left alone.
 */
export async function insertImportedParticipants(
  q: Queryable,
  ctx: HubContext,
  campaign: CampaignRow,
  people: ImportedPerson[],
): Promise<{ created: ParticipantRow[]; existing: number }> {
  const created: ParticipantRow[] = [];
  let pending = people;
  let existing = 0;
  for (let attempt = 0; attempt < CODE_ATTEMPTS && pending.length > 0; attempt++) {
    const now = ctx.now();
    const params: unknown[] = [];
    for (const p of pending) {
      params.push(
        newId('participant'), campaign.workspace_id, campaign.id, 'imported', p.email.trim(), emailKey(p.email), canonicalEmail(p.email),
        p.first_name ?? null, p.last_name ?? null, p.external_id ?? null, generateCode(campaign.code_length, campaign.code_prefix),
        randomToken(24), now, now,
      );
    }
    // No conflict target: a taken email, code or token each skips the row; which one is sorted out below.
    const inserted = await q.query<ParticipantRow>(
      `INSERT INTO participants (${COLUMNS.join(',')}) VALUES ${valuesSql(pending.length, COLUMNS.length)} ON CONFLICT DO NOTHING RETURNING *`,
      params,
    );
    created.push(...inserted);
    const done = new Set(inserted.map((r) => r.email_key));
    const skipped = pending.filter((p) => !done.has(emailKey(p.email)));
    pending = [];
    if (skipped.length === 0) break;
    const taken = new Set(
      (
        await q.query<{ email_key: string }>('SELECT email_key FROM participants WHERE campaign_id = $1 AND email_key = ANY($2::text[])', [
          campaign.id,
          skipped.map((p) => emailKey(p.email)),
        ])
      ).map((r) => r.email_key),
    );
    existing += skipped.filter((p) => taken.has(emailKey(p.email))).length;
    pending = skipped.filter((p) => !taken.has(emailKey(p.email)));
  }
  if (pending.length > 0) throw new Error(`could not draw free referral codes for ${pending.length} participants`);
  await recordSignups(q, ctx, campaign, created);
  return { created, existing };
}

/** The timeline entries and `participant.created` events of the new rows, one statement each. */
async function recordSignups(q: Queryable, ctx: HubContext, campaign: CampaignRow, rows: ParticipantRow[]): Promise<void> {
  if (rows.length === 0) return;
  const activity: unknown[] = [];
  const events: unknown[] = [];
  for (const row of rows) {
    const data = { type: 'imported', referrer_id: null, click_id: null, channel: null };
    activity.push(newId('timeline'), campaign.workspace_id, row.id, 'signup', 'csv', JSON.stringify(data));
    const view: ParticipantView = { ...row, referrer_code: null, people_referred: 0, qualified_count: 0, test_mode: campaign.test_mode };
    events.push(newId('event'), campaign.workspace_id, campaign.id, 'participant.created', JSON.stringify(toParticipant(view, ctx.links)));
  }
  await q.query(`INSERT INTO activities (id, workspace_id, participant_id, kind, source, data) VALUES ${valuesSql(rows.length, 6)}`, activity);
  // The same row emitEvent writes (the outbox), a batch at a time.
  await q.query(`INSERT INTO events (id, workspace_id, campaign_id, type, data) VALUES ${valuesSql(rows.length, 5)}`, events);
}
