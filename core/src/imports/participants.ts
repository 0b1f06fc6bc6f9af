import type { Readable } from 'node:stream';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { getCampaign } from '../domain/campaigns';
import { createParticipantIn } from '../domain/participants';
import type { CampaignRow } from '../domain/rows';
import { normalizeCode } from '../lib/codes';
import { emailKey } from '../lib/email';
import { ApiError } from '../lib/errors';
import { emailSchema } from '../schemas/common';
import type { ParticipantsImportSummary } from '../schemas/import';
import { insertImportedParticipants, type ImportedPerson } from './bulk-participants';
import { inBatches, readCsvRows, type CsvRow } from './csv-rows';
import { IMPORT_BATCH_SIZE, InvalidRows, type ImportProgress } from './invalid-rows';

const columns = {
  email: ['email_address', 'e_mail', 'mail'],
  first_name: ['firstname', 'first', 'given_name'],
  last_name: ['lastname', 'last', 'surname', 'family_name'],
  external_id: ['externalid', 'customer_id', 'user_id'],
  referrer_code: ['referred_by', 'referrer', 'ref', 'referral_code'],
} as const;
type Column = keyof typeof columns;

interface Person extends ImportedPerson {
  line: number;
  referrer_code?: string;
}

interface Counts {
  created: number;
  referred: number;
  existing: number;
}

/**
 * Bulk-add participants from a CSV: type `imported`, or `referred` when the row names a
 * referrer_code of the campaign. Emails already in the campaign are left unchanged, so uploading
 * the same file again adds nobody. Plain rows go in with a few statements per 1,000-row batch;
 * referred rows take createParticipant's path one by one (fraud checks, referral events).
 */
export async function importParticipants(
  ctx: HubContext,
  workspaceId: string,
  campaignId: string,
  source: Readable,
  onProgress?: ImportProgress,
): Promise<ParticipantsImportSummary> {
  const started = Date.now();
  const campaign = await getCampaign(ctx.db, workspaceId, campaignId);
  const invalid = new InvalidRows();
  const counts: Counts = { created: 0, referred: 0, existing: 0 };
  let rows = 0;
  for await (const batch of inBatches(readCsvRows(source, columns, { anyOf: ['email'] }), IMPORT_BATCH_SIZE)) {
    rows += batch.length;
    const people = validRows(batch, invalid);
    if (people.length > 0) await applyBatch(ctx, campaign, people, invalid, counts);
    onProgress?.(rows);
  }
  return {
    object: 'import',
    kind: 'participants',
    campaign_id: campaignId,
    rows,
    ...counts,
    invalid_count: invalid.count,
    invalid: invalid.sorted(),
    invalid_truncated: invalid.truncated,
    duration_ms: Date.now() - started,
  };
}

function validRows(batch: CsvRow<Column>[], invalid: InvalidRows): Person[] {
  const out: Person[] = [];
  for (const { line, values, problem } of batch) {
    if (problem) invalid.add(line, problem);
    else if (!values.email) invalid.add(line, 'email: missing');
    else if (!emailSchema.safeParse(values.email).success) invalid.add(line, `email: '${values.email.slice(0, 100)}' is not a valid email address`);
    else if ((values.first_name?.length ?? 0) > 100 || (values.last_name?.length ?? 0) > 100) invalid.add(line, 'first_name/last_name: at most 100 characters');
    else if ((values.external_id?.length ?? 0) > 200) invalid.add(line, 'external_id: at most 200 characters');
    else out.push({ line, email: values.email, first_name: values.first_name, last_name: values.last_name, external_id: values.external_id, referrer_code: values.referrer_code });
  }
  return out;
}

async function applyBatch(ctx: HubContext, campaign: CampaignRow, people: Person[], invalid: InvalidRows, counts: Counts): Promise<void> {
  await ctx.db.tx(async (q) => {
    const present = await q.query<{ email_key: string }>('SELECT email_key FROM participants WHERE campaign_id = $1 AND email_key = ANY($2::text[])', [
      campaign.id,
      people.map((p) => emailKey(p.email)),
    ]);
    const codes = people.flatMap((p) => (p.referrer_code ? [normalizeCode(p.referrer_code)] : []));
    const referrers = codes.length > 0 ? await q.query<{ code: string }>('SELECT code FROM participants WHERE campaign_id = $1 AND code = ANY($2::text[])', [campaign.id, codes]) : [];
    const knownCodes = new Set(referrers.map((r) => r.code));
    // One lookup settles the emails already in the campaign; `seen` then catches repeats within the batch.
    const seen = new Set(present.map((r) => r.email_key));
    const plain: Person[] = [];
    const referred: Person[] = [];
    for (const p of people) {
      const key = emailKey(p.email);
      // Already in the campaign, or earlier in this batch: the first row wins.
      if (seen.has(key)) counts.existing++;
      else if (p.referrer_code && !knownCodes.has(normalizeCode(p.referrer_code))) invalid.add(p.line, `referrer_code: no participant with code '${p.referrer_code}' in this campaign`);
      else {
        seen.add(key);
        (p.referrer_code ? referred : plain).push(p);
      }
    }
    const bulk = await insertImportedParticipants(q, ctx, campaign, plain);
    counts.created += bulk.created;
    counts.existing += bulk.existing;
    for (const p of referred) await addReferred(q, ctx, campaign, p, invalid, counts);
  });
}

/** One referred row through createParticipant's own path, in a savepoint so a refusal spoils nothing else. */
async function addReferred(q: Queryable, ctx: HubContext, campaign: CampaignRow, p: Person, invalid: InvalidRows, counts: Counts): Promise<void> {
  await q.query('SAVEPOINT referred_row');
  try {
    const { participant, created } = await createParticipantIn(
      q,
      ctx,
      campaign.workspace_id,
      { campaign_id: campaign.id, email: p.email, first_name: p.first_name, last_name: p.last_name, external_id: p.external_id, referrer_code: p.referrer_code },
      { source: 'csv', type: 'imported' },
    );
    await q.query('RELEASE SAVEPOINT referred_row');
    if (!created) counts.existing++;
    else {
      counts.created++;
      if (participant.type === 'referred') counts.referred++;
    }
  } catch (err) {
    await q.query('ROLLBACK TO SAVEPOINT referred_row');
    if (!(err instanceof ApiError) || err.status >= 500) throw err;
    invalid.add(p.line, err.message);
  }
}
