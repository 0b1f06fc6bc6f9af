import { z } from 'zod';
import type { ContactPage, LinkWrite, LinkWriteResult, VendorContact } from '../contract';
import type { SalesforceContext } from './auth';
import { openSalesforce } from './client';
import { COLLECTION_MAX, saveResultSchema, soqlString } from './push';
import { syncFilterSchema, type SalesforceSettings } from './settings';

/**
 * Contact sync: Contacts (or Leads) read page by page with SOQL, keyed on Id so a cursor stays
 * valid however long a sync pauses (query locators expire after 15 minutes); the first page counts
 * them. Referral links (and codes) are written back through sObject Collections, 200 a call.
 */

/** Contacts per page: one sObject Collections call writes a whole page of links back. */
export const CONTACT_PAGE_SIZE = 200;

/** Record id key prefixes (the first three characters of every Salesforce id). */
const prefixes: Record<string, 'Contact' | 'Lead'> = { '003': 'Contact', '00Q': 'Lead' };

function syncedRecordSchema(settings: SalesforceSettings) {
  const code = settings.referral_code_field;
  return z.object({ Id: z.string(), Email: z.string().nullable().optional(), FirstName: z.string().nullable().optional(), LastName: z.string().nullable().optional() }).catchall(z.unknown()).transform(
    (r): VendorContact => {
      const raw = code ? r[code] : null;
      return {
        id: r.Id,
        object: settings.sync_object === 'Contact' ? 'contact' : 'lead',
        email: r.Email?.trim() || null,
        first_name: r.FirstName ?? null,
        last_name: r.LastName ?? null,
        referral_code: typeof raw === 'string' && raw.trim() ? raw.trim().slice(0, 64) : null,
      };
    },
  );
}

export async function listContacts(ctx: SalesforceContext, input: { cursor: string | null; filter: Record<string, unknown> | null; pageSize: number }): Promise<ContactPage> {
  const settings = ctx.settings;
  const filter = syncFilterSchema.parse(input.filter ?? {});
  const object = settings.sync_object;
  const conditions = ['Email != null'];
  if (object === 'Lead') conditions.push('IsConverted = false');
  if (filter.where) conditions.push(`(${filter.where})`);
  const fields = ['Id', 'Email', 'FirstName', 'LastName', ...(settings.referral_code_field ? [settings.referral_code_field] : [])];
  const sf = await openSalesforce(ctx);
  let total: number | null = null;
  if (input.cursor === null) {
    // https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_count.htm
    total = (await sf.query(`SELECT COUNT() FROM ${object} WHERE ${conditions.join(' AND ')}`, z.unknown())).totalSize;
  }
  const after = input.cursor === null ? [] : [`Id > ${soqlString(input.cursor)}`];
  const size = Math.min(input.pageSize, 1999);
  // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm (GET /query?q=SELECT … ORDER BY Id LIMIT n)
  // One record more than the page tells whether another page follows, without an empty last read.
  const page = await sf.query(`SELECT ${fields.join(', ')} FROM ${object} WHERE ${[...conditions, ...after].join(' AND ')} ORDER BY Id ASC LIMIT ${size + 1}`, syncedRecordSchema(settings));
  const contacts = page.records.slice(0, size);
  const more = page.records.length > size;
  return { contacts, next_cursor: more ? (contacts[contacts.length - 1]?.id ?? null) : null, total };
}

export async function writeReferralLinks(ctx: SalesforceContext, writes: LinkWrite[]): Promise<LinkWriteResult> {
  const { referral_link_field: linkField, referral_code_field: codeField } = ctx.settings;
  if (!linkField && !codeField) {
    return { failed: writes.map((w) => ({ contact_id: w.contact_id, message: 'no field to write to: set settings.referral_link_field (and referral_code_field)' })) };
  }
  const failed: LinkWriteResult['failed'] = [];
  const byType = new Map<'Contact' | 'Lead', LinkWrite[]>();
  for (const w of writes) {
    const type = prefixes[w.contact_id.slice(0, 3)];
    if (!type) failed.push({ contact_id: w.contact_id, message: 'not a Contact or Lead id' });
    else byType.set(type, [...(byType.get(type) ?? []), w]);
  }
  const sf = await openSalesforce(ctx);
  for (const [type, list] of byType) {
    for (let at = 0; at < list.length; at += COLLECTION_MAX) {
      const chunk = list.slice(at, at + COLLECTION_MAX);
      const records = chunk.map((w) => ({ Id: w.contact_id, ...(linkField ? { [linkField]: w.referral_link } : {}), ...(codeField ? { [codeField]: w.code } : {}) }));
      // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_update.htm (PATCH /composite/sobjects, up to 200)
      const results = z.array(saveResultSchema).length(chunk.length).parse(await sf.run((c) => c.update(type, records, { allOrNone: false })));
      results.forEach((r, n) => {
        if (!r.success) failed.push({ contact_id: chunk[n].contact_id, message: r.errors.map((e) => `${e.statusCode ? `${e.statusCode}: ` : ''}${e.message}`).join('; ') || 'refused by Salesforce' });
      });
    }
  }
  return { failed };
}
