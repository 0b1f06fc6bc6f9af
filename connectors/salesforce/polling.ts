import { z } from 'zod';
import type { PollResult, Signal } from '../contract';
import type { SalesforceContext } from './auth';
import { leadSignals, leadStageSignals, opportunitySignals, opportunityStageSignals, watchedObjects } from './changes';
import { openSalesforce, type Salesforce } from './client';
import { soqlString } from './push';
import type { SalesforceSettings } from './settings';

/**
 * The polling fallback for orgs without Change Data Capture: SOQL for the Leads and Opportunities
 * modified since the stored cursor (SystemModstamp, then Id, so records modified in the same second
 * are neither skipped nor read twice), whatever their status or stage: the ones in a status or
 * stage a rule names qualify or unqualify, and every one is a `stage` signal, so the participant
 * shows where its record stands; Leads are read whenever pushes make Leads. Each record version is one event: `poll:<object>:<id>:<SystemModstamp>`.
 */

/** Records per query; a poll reads at most MAX_PAGES of them per object and continues next time. */
const PAGE = 200;
const MAX_PAGES = 5;
/** The first poll looks this far back, so changes made while the integration was being set up are seen. */
const FIRST_LOOKBACK_MS = 5 * 60_000;
/**
 * SystemModstamp counts whole seconds, so a record changed twice in one second shows both versions
 * with one stamp: only seconds at least this long past are read (their last version is final), or
 * the cursor would step over the second version of a record whose first version it read.
 */
const SETTLE_MS = 1_000;

const positionSchema = z.object({ at: z.iso.datetime(), id: z.string() });
const cursorSchema = z.object({ lead: positionSchema.optional(), opportunity: positionSchema.optional() });
type Position = z.infer<typeof positionSchema>;

/** How often the settings ask for a poll (null: Change Data Capture is used instead). */
export function pollIntervalMs(settings: SalesforceSettings): number | null {
  return settings.detection === 'polling' ? settings.poll_interval_seconds * 1000 : null;
}

/** SOQL wants second-precision UTC datetimes, unquoted. */
const soqlDateTime = (iso: string) => `${iso.slice(0, 19)}Z`;
/** Salesforce answers `2024-05-01T10:00:00.000+0000`. */
const toIso = (value: string) => new Date(Date.parse(value)).toISOString();

async function readSince<T extends { Id: string; SystemModstamp: string }>(
  sf: Salesforce,
  object: 'Lead' | 'Opportunity',
  fields: string[],
  from: Position,
  settled: string,
  record: z.ZodType<T>,
): Promise<{ records: T[]; last: Position }> {
  const records: T[] = [];
  let last = from;
  for (let page = 0; page < MAX_PAGES; page++) {
    const t = soqlDateTime(last.at);
    const after = `(SystemModstamp > ${t} OR (SystemModstamp = ${t} AND Id > ${soqlString(last.id)})) AND SystemModstamp < ${settled}`;
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm
    const result = await sf.query(`SELECT ${['Id', 'SystemModstamp', ...fields].join(', ')} FROM ${object} WHERE ${after} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${PAGE}`, record);
    records.push(...result.records);
    const tail = result.records[result.records.length - 1];
    if (tail) last = { at: toIso(tail.SystemModstamp), id: tail.Id };
    if (result.records.length < PAGE) break;
  }
  return { records, last };
}

export async function pollChanges(ctx: SalesforceContext, input: { cursor: string | null }): Promise<PollResult> {
  const settings = ctx.settings;
  const start: Position = { at: new Date(ctx.now().getTime() - FIRST_LOOKBACK_MS).toISOString(), id: '' };
  const settled = soqlDateTime(new Date(Math.floor((ctx.now().getTime() - SETTLE_MS) / 1000) * 1000).toISOString());
  const cursor = input.cursor ? cursorSchema.parse(JSON.parse(input.cursor)) : {};
  // Leads we push are read for their Status even without a lead rule (polling needs nothing enabled in the org, unlike CDC).
  const watch = { ...watchedObjects(settings), ...(settings.push_as === 'lead' ? { lead: true } : {}) };
  const codeField = settings.referral_code_field;
  const oppCodeField = settings.opportunity_referral_code_field;
  const sf = await openSalesforce(ctx);
  const signals: Signal[] = [];
  const next = { ...cursor };

  if (watch.lead) {
    const leadSchema = z.object({ Id: z.string(), SystemModstamp: z.string(), Status: z.string().nullable(), Email: z.string().nullable().optional() }).catchall(z.unknown());
    const read = await readSince(sf, 'Lead', ['Status', 'Email', ...(codeField ? [codeField] : [])], cursor.lead ?? start, settled, leadSchema);
    for (const r of read.records) {
      const code = codeField ? r[codeField] : null;
      const change = { id: r.Id, status: r.Status, email: r.Email ?? null, referral_code: typeof code === 'string' ? code : null };
      const meta = { eventId: `poll:lead:${r.Id}:${toIso(r.SystemModstamp)}`, occurredAt: toIso(r.SystemModstamp) };
      signals.push(...leadSignals(settings, change, meta), ...leadStageSignals(change, meta));
    }
    next.lead = read.last;
  }
  if (watch.opportunity) {
    const oppSchema = z.object({ Id: z.string(), SystemModstamp: z.string(), StageName: z.string().nullable() }).catchall(z.unknown());
    const read = await readSince(sf, 'Opportunity', ['StageName', ...(oppCodeField ? [oppCodeField] : [])], cursor.opportunity ?? start, settled, oppSchema);
    for (const r of read.records) {
      const code = oppCodeField ? r[oppCodeField] : null;
      const change = { id: r.Id, stage: r.StageName, referral_code: typeof code === 'string' ? code : null };
      const meta = { eventId: `poll:opportunity:${r.Id}:${toIso(r.SystemModstamp)}`, occurredAt: toIso(r.SystemModstamp) };
      signals.push(...opportunitySignals(settings, change, meta), ...opportunityStageSignals(change, meta));
    }
    next.opportunity = read.last;
  }
  return { signals, cursor: JSON.stringify(next) };
}
