import { z } from 'zod';
import type { ContactPage, LinkWrite, LinkWriteResult, VendorContact } from '../contract';
import { isStatus, openHubSpot, type HubSpot, type HubSpotContext } from './client';
import { BATCH_MAX } from './push';
import { syncFilterSchema } from './settings';

/**
 * Contact sync: all contacts (the objects API, 100 a page) or the members of a HubSpot list (the
 * lists API's membership pages, read back as contacts with one batch read), each page's `after`
 * as the resumable cursor; referral links and codes written back by batch update, 100 a call;
 * and, for an ongoing sync over a list, whether a new contact is in that list.
 */

/** The properties a synced contact is read with. */
export const CONTACT_PROPERTIES = ['email', 'firstname', 'lastname', 'referral_code'];

const contactSchema = z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullable()).default({}) });
const pagingSchema = z.object({ next: z.object({ after: z.string() }).optional() }).optional();
const pageSchema = z.object({ results: z.array(contactSchema), paging: pagingSchema, total: z.number().int().optional() });
const membershipsSchema = z.object({ results: z.array(z.object({ recordId: z.string() })), paging: pagingSchema, total: z.number().int().optional() });
const batchAnswerSchema = z.object({
  results: z.array(contactSchema),
  errors: z.array(z.object({ message: z.string().optional(), category: z.string().optional(), context: z.record(z.string(), z.array(z.string())).optional() })).optional(),
});

const text = (v: string | null | undefined) => (v && v.trim() !== '' ? v.trim() : null);

/** The event id of a contact's creation, whichever way we hear of it (app webhook or polling). */
export const contactCreatedEventId = (contactId: string | number) => `contact:${contactId}:created`;

/** A HubSpot contact as the contract's contact. */
export function toContact(c: z.infer<typeof contactSchema>): VendorContact {
  const code = text(c.properties.referral_code);
  return {
    id: c.id,
    object: 'contact',
    email: text(c.properties.email),
    first_name: text(c.properties.firstname)?.slice(0, 200) ?? null,
    last_name: text(c.properties.lastname)?.slice(0, 200) ?? null,
    referral_code: code ? code.slice(0, 64) : null,
  };
}

/** Read contacts by id, 100 a call (list members, a new contact from a webhook). */
export async function readContacts(hs: HubSpot, ids: string[], properties = CONTACT_PROPERTIES): Promise<Array<z.infer<typeof contactSchema>>> {
  const out: Array<z.infer<typeof contactSchema>> = [];
  for (let i = 0; i < ids.length; i += BATCH_MAX) {
    const inputs = ids.slice(i, i + BATCH_MAX).map((id) => ({ id }));
    // https://developers.hubspot.com/docs/api/crm/contacts (POST /crm/v3/objects/contacts/batch/read; 200 or 207)
    const answer = batchAnswerSchema.parse(await hs.call((c) => c.crm.contacts.batchApi.read({ inputs, properties, propertiesWithHistory: [] })));
    out.push(...answer.results);
  }
  return out;
}

export async function listContacts(ctx: HubSpotContext, input: { cursor: string | null; filter: Record<string, unknown> | null; pageSize: number }): Promise<ContactPage> {
  const filter = syncFilterSchema.parse(input.filter ?? {});
  const hs = await openHubSpot(ctx);
  const limit = Math.min(BATCH_MAX, input.pageSize);
  const after = input.cursor ?? undefined;
  if (filter.list_id) {
    const listId = filter.list_id;
    // https://developers.hubspot.com/docs/api/crm/lists (GET /crm/v3/lists/{listId}/memberships?after=&limit=)
    const page = membershipsSchema.parse(await hs.call((c) => c.crm.lists.membershipsApi.getPage(listId, after, undefined, limit)));
    const contacts = page.results.length > 0 ? await readContacts(hs, page.results.map((m) => m.recordId)) : [];
    return { contacts: contacts.map(toContact), next_cursor: page.paging?.next?.after ?? null, total: page.total ?? null };
  }
  // https://developers.hubspot.com/docs/api/crm/contacts (GET /crm/v3/objects/contacts?limit=&after=&properties=)
  const page = pageSchema.parse(await hs.call((c) => c.crm.contacts.basicApi.getPage(limit, after, CONTACT_PROPERTIES, undefined, undefined, false)));
  return { contacts: page.results.map(toContact), next_cursor: page.paging?.next?.after ?? null, total: page.total ?? null };
}

/** HubSpot's object type id for contacts. */
const CONTACT_OBJECT_TYPE_ID = '0-1';
const recordMembershipsSchema = z.object({ results: z.array(z.object({ listId: z.union([z.string(), z.number()]).transform(String) })) });

/**
 * Whether a contact is a member of an ongoing sync's list, asked of the contact itself (the lists
 * it is in: one call, however long the list). HubSpot adds a new contact to an active list when it
 * next recalculates the list, so a contact not in it yet counts as outside: the list's membership
 * at the time of the check is the filter. A contact deleted meanwhile is in no list.
 */
export async function contactInFilter(ctx: HubSpotContext, input: { filter: Record<string, unknown>; contact: VendorContact }): Promise<boolean> {
  const listId = syncFilterSchema.parse(input.filter).list_id;
  if (listId === undefined) return true;
  if (input.contact.object !== 'contact') return false;
  const contactId = input.contact.id;
  const hs = await openHubSpot(ctx);
  try {
    // https://developers.hubspot.com/docs/api-reference/latest/crm/lists/memberships/get-lists-per-record (GET /crm/v3/lists/records/{objectTypeId}/{recordId}/memberships)
    const answer = recordMembershipsSchema.parse(await hs.call((c) => c.crm.lists.membershipsApi.getLists(CONTACT_OBJECT_TYPE_ID, contactId)));
    return answer.results.some((m) => m.listId === listId);
  } catch (err) {
    if (isStatus(err, 404)) return false;
    throw err;
  }
}

/**
 * Write each link and code onto the contact's `referral_link` and `referral_code` by batch update
 * (100 a call). A contact deleted meanwhile comes back as a 207 error naming its id: a failure of
 * its own. Anything else fails the batch for the shared retry decision (rewriting is harmless).
 */
export async function writeReferralLinks(ctx: HubSpotContext, writes: LinkWrite[]): Promise<LinkWriteResult> {
  const hs = await openHubSpot(ctx);
  const failed: LinkWriteResult['failed'] = [];
  for (let i = 0; i < writes.length; i += BATCH_MAX) {
    const batch = writes.slice(i, i + BATCH_MAX);
    const inputs = batch.map((w) => ({ id: w.contact_id, properties: { referral_link: w.referral_link, referral_code: w.code } }));
    // https://developers.hubspot.com/docs/api/crm/contacts (POST /crm/v3/objects/contacts/batch/update; 200 or 207)
    const answer = batchAnswerSchema.parse(await hs.call((c) => c.crm.contacts.batchApi.update({ inputs })));
    const written = new Set(answer.results.map((r) => r.id));
    for (const w of batch) {
      if (written.has(w.contact_id)) continue;
      const error = answer.errors?.find((e) => Object.values(e.context ?? {}).some((ids) => ids.includes(w.contact_id))) ?? answer.errors?.[0];
      failed.push({ contact_id: w.contact_id, message: error?.message ?? 'HubSpot did not update the contact' });
    }
  }
  return { failed };
}
