import { z } from 'zod';
import type { BatchPushOutcome, PushInput, PushResult } from '../contract';
import { VendorError } from '../retry';
import type { SalesforceContext } from './auth';
import { openSalesforce, type Salesforce } from './client';
import { rulesFor, type Placeholder, type SalesforceSettings } from './settings';

/**
 * Participants pushed as Leads (or Contacts): deduped by email with one SOQL query per batch, then
 * created and updated through sObject Collections — up to 200 records a call, `allOrNone: false`
 * so one refused record fails alone. A retried push passes the id stored by the earlier one and
 * updates that record instead of making a second.
 */

/** Records per sObject Collections call (Salesforce's maximum). */
export const COLLECTION_MAX = 200;

export const saveResultSchema = z.object({
  id: z.string().nullable().optional(),
  success: z.boolean(),
  errors: z.array(z.object({ statusCode: z.string().optional(), message: z.string(), fields: z.array(z.string()).optional() })).default([]),
});
export type SaveResult = z.infer<typeof saveResultSchema>;

/** A SOQL string literal: quotes and backslashes escaped (https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_quotedstringescapes.htm). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The object pushes make, and the key its id is stored under on the participant. */
export function pushedObject(settings: SalesforceSettings): { type: 'Lead' | 'Contact'; key: 'lead' | 'contact' } {
  return settings.push_as === 'lead' ? { type: 'Lead', key: 'lead' } : { type: 'Contact', key: 'contact' };
}

function templateValues(input: PushInput): Record<Placeholder, string> {
  const referrer = input.referrer;
  return {
    name: input.name ?? input.email,
    first_name: input.first_name ?? '',
    last_name: input.last_name ?? '',
    email: input.email,
    code: input.code,
    referral_link: input.referral_link,
    referrer: referrer ? (referrer.name ?? referrer.email) : '',
    referrer_email: referrer?.email ?? '',
    referrer_code: referrer?.code ?? '',
    campaign: input.campaign_name,
  };
}

function render(template: string, values: Record<Placeholder, string>): string {
  const lookup: Record<string, string> = values;
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => lookup[name] ?? whole).replace(/\s+/g, ' ').trim();
}

/** The fields of one participant's record, as the settings map them. Empty values are left out rather than clearing a field. */
export function recordFields(settings: SalesforceSettings, input: PushInput, type: 'Lead' | 'Contact'): Record<string, string> {
  const values = templateValues(input);
  const fields: Record<string, string> = {};
  for (const [field, template] of Object.entries(settings.extra_fields)) {
    const value = render(template, values);
    if (value !== '') fields[field] = value.slice(0, 255);
  }
  // Salesforce requires LastName: without one, the whole name (or the email) stands in.
  if (input.last_name) {
    fields.LastName = input.last_name.slice(0, 80);
    if (input.first_name) fields.FirstName = input.first_name.slice(0, 40);
  } else fields.LastName = (input.name ?? input.email).slice(0, 80);
  fields.Email = input.email;
  if (type === 'Lead') {
    fields.Company = (render(settings.company, values) || values.name).slice(0, 255);
    const source = rulesFor(settings, input.campaign_id).lead_source;
    if (source) fields.LeadSource = source;
  }
  if (settings.referral_code_field) fields[settings.referral_code_field] = input.code;
  if (settings.referral_link_field) fields[settings.referral_link_field] = input.referral_link;
  if (settings.referred_by_field && input.referrer) fields[settings.referred_by_field] = `${input.referrer.name ? `${input.referrer.name} ` : ''}<${input.referrer.email}>`.slice(0, 255);
  return fields;
}

const idEmailSchema = z.object({ Id: z.string(), Email: z.string().nullable() });

/** The oldest record of the type per email, for the emails given (one query for the whole batch). */
async function findByEmail(sf: Salesforce, type: 'Lead' | 'Contact', emails: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (emails.length === 0) return found;
  // Converted leads cannot be updated any more: a new lead is made instead.
  const converted = type === 'Lead' ? ' AND IsConverted = false' : '';
  const soql = `SELECT Id, Email FROM ${type} WHERE Email IN (${emails.map(soqlString).join(', ')})${converted} ORDER BY CreatedDate ASC`;
  const page = await sf.query(soql, idEmailSchema);
  for (const r of page.records) {
    const key = r.Email?.toLowerCase();
    if (key && !found.has(key)) found.set(key, r.Id);
  }
  return found;
}

const failed = (result: SaveResult): BatchPushOutcome => ({
  ok: false,
  status: 400,
  message: result.errors.map((e) => `${e.statusCode ? `${e.statusCode}: ` : ''}${e.message}${e.fields?.length ? ` (${e.fields.join(', ')})` : ''}`).join('; ') || 'refused by Salesforce',
});

/** Push up to 200 participants: one dedupe query, one create call and one update call at most. */
export async function pushParticipants(ctx: SalesforceContext, inputs: PushInput[]): Promise<BatchPushOutcome[]> {
  const { type, key } = pushedObject(ctx.settings);
  const sf = await openSalesforce(ctx);
  const byEmail = await findByEmail(
    sf,
    type,
    [...new Set(inputs.filter((i) => !i.existing?.[key]).map((i) => i.email.toLowerCase()))],
  );
  const plan = inputs.map((input) => {
    const id = input.existing?.[key] ?? byEmail.get(input.email.toLowerCase()) ?? null;
    return { input, id, fields: recordFields(ctx.settings, input, type) };
  });
  const outcomes: BatchPushOutcome[] = new Array<BatchPushOutcome>(inputs.length);
  const toCreate = plan.map((p, i) => ({ ...p, i })).filter((p) => p.id === null);
  const toUpdate = plan.map((p, i) => ({ ...p, i })).filter((p) => p.id !== null);

  for (let at = 0; at < toCreate.length; at += COLLECTION_MAX) {
    const chunk = toCreate.slice(at, at + COLLECTION_MAX);
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm (POST /composite/sobjects)
    const results = z.array(saveResultSchema).length(chunk.length).parse(await sf.run((c) => c.create(type, chunk.map((p) => p.fields), { allOrNone: false })));
    chunk.forEach((p, n) => {
      const r = results[n];
      outcomes[p.i] = r.success && r.id ? { ok: true, result: { ids: { [key]: r.id }, created: true } } : failed(r);
    });
  }
  for (let at = 0; at < toUpdate.length; at += COLLECTION_MAX) {
    const chunk = toUpdate.slice(at, at + COLLECTION_MAX);
    // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm (PATCH /composite/sobjects)
    const results = z.array(saveResultSchema).length(chunk.length).parse(await sf.run((c) => c.update(type, chunk.map((p) => ({ Id: p.id ?? '', ...p.fields })), { allOrNone: false })));
    chunk.forEach((p, n) => {
      const r = results[n];
      outcomes[p.i] = r.success ? { ok: true, result: { ids: { [key]: p.id ?? '' }, created: false } } : failed(r);
    });
  }
  return outcomes;
}

/** One participant: a batch of one (still through sObject Collections). */
export async function pushParticipant(ctx: SalesforceContext, input: PushInput): Promise<PushResult> {
  const [outcome] = await pushParticipants(ctx, [input]);
  if (outcome.ok) return outcome.result;
  throw new VendorError('salesforce', { status: outcome.status, message: outcome.message });
}
