import { z } from 'zod';
import type { ContactPage, LinkWrite, LinkWriteResult, VendorContact } from '../contract';
import { isStatus, openPipedrive, type PipedriveContext } from './client';
import { allKeysMappedTo, syncFilterSchema } from './settings';

/**
 * Contact sync: Pipedrive persons (all, or a saved filter, or those changed since a time) page by
 * page with v2 cursors, the referral link (and code) written back onto each person's mapped
 * fields, and, for an ongoing sync over a filter, whether a new person is in that filter.
 */

/** The most persons one v2 list call returns. */
export const PERSON_PAGE_MAX = 500;
/** How many person updates run at once while writing links (each is its own PATCH in Pipedrive). */
const WRITE_CONCURRENCY = 8;

export const personSchema = z.object({
  id: z.number().int(),
  name: z.string().nullable().optional(),
  first_name: z.string().nullable().optional(),
  last_name: z.string().nullable().optional(),
  emails: z.array(z.object({ value: z.string(), primary: z.boolean().optional() })).nullable().optional(),
  custom_fields: z.record(z.string(), z.unknown()).nullable().optional(),
});
const pageSchema = z.object({
  data: z.array(personSchema).nullable(),
  additional_data: z.object({ next_cursor: z.string().nullable().optional() }).nullable().optional(),
});

/** The email Pipedrive marks primary, else the first one. */
export function primaryEmail(emails: Array<{ value: string; primary?: boolean }> | null | undefined): string | null {
  const list = (emails ?? []).filter((e) => e.value.trim() !== '');
  return (list.find((e) => e.primary) ?? list[0])?.value.trim() ?? null;
}

/** A custom field value as the API shows it (plain) or as webhooks v2 do (`{type, value}`). */
export function customValue(raw: unknown): string | null {
  if (typeof raw === 'string') return raw.trim() || null;
  if (typeof raw === 'number') return String(raw);
  const wrapped = z.object({ value: z.unknown() }).safeParse(raw);
  return wrapped.success ? customValue(wrapped.data.value) : null;
}

/** A person as our contract's contact, with the referral code when a person field holds it. */
export function toContact(person: z.infer<typeof personSchema>, codeKeys: string[]): VendorContact {
  const code = codeKeys.map((k) => customValue(person.custom_fields?.[k])).find((v) => v !== null) ?? null;
  return {
    id: String(person.id),
    object: 'person',
    email: primaryEmail(person.emails),
    first_name: person.first_name ?? null,
    last_name: person.last_name ?? null,
    referral_code: code ? code.slice(0, 64) : null,
  };
}

export async function listContacts(ctx: PipedriveContext, input: { cursor: string | null; filter: Record<string, unknown> | null; pageSize: number }): Promise<ContactPage> {
  const filter = syncFilterSchema.parse(input.filter ?? {});
  const pd = await openPipedrive(ctx);
  // https://developers.pipedrive.com/docs/api/v1/Persons#getPersons (GET /api/v2/persons?limit=&cursor=&filter_id=&updated_since=)
  const page = pageSchema.parse(
    await pd.v2.persons.getPersons({
      limit: Math.min(PERSON_PAGE_MAX, input.pageSize),
      sort_by: 'id',
      sort_direction: 'asc',
      ...(input.cursor ? { cursor: input.cursor } : {}),
      ...(filter.filter_id ? { filter_id: filter.filter_id } : {}),
      ...(filter.updated_since ? { updated_since: new Date(filter.updated_since).toISOString().replace(/\.\d{3}Z$/, 'Z') } : {}),
    }),
  );
  const codeKeys = allKeysMappedTo(ctx.settings, 'person', 'code');
  return { contacts: (page.data ?? []).map((p) => toContact(p, codeKeys)), next_cursor: page.additional_data?.next_cursor ?? null, total: null };
}

const personTimesSchema = z.object({ data: z.object({ id: z.number().int(), update_time: z.string() }) });

/** Pipedrive's `updated_since` takes whole seconds (RFC 3339). */
const wholeSecond = (time: string) => new Date(Math.floor(Date.parse(time) / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');

/**
 * Whether a person is among the persons of an ongoing sync's saved filter. Pipedrive cannot ask
 * this of one person (`ids` is ignored next to `filter_id`), so read when the person last changed
 * and list the filter's persons changed since that second: the person is among them exactly when
 * the filter keeps it, and few others are. `updated_since` alone keeps every new person (each one
 * changed after it); a person deleted meanwhile is in no filter.
 */
export async function contactInFilter(ctx: PipedriveContext, input: { filter: Record<string, unknown>; contact: VendorContact }): Promise<boolean> {
  const filterId = syncFilterSchema.parse(input.filter).filter_id;
  if (filterId === undefined) return true;
  const id = Number(input.contact.id);
  if (!Number.isInteger(id)) return false;
  const pd = await openPipedrive(ctx);
  let since: string;
  try {
    // https://developers.pipedrive.com/docs/api/v1/Persons#getPerson (GET /api/v2/persons/{id})
    since = wholeSecond(personTimesSchema.parse(await pd.v2.persons.getPerson({ id })).data.update_time);
  } catch (err) {
    if (isStatus(err, 404)) return false;
    throw err;
  }
  let cursor: string | null = null;
  do {
    // https://developers.pipedrive.com/docs/api/v1/Persons#getPersons (filter_id with updated_since: both apply)
    const page = pageSchema.parse(
      await pd.v2.persons.getPersons({ filter_id: filterId, updated_since: since, sort_by: 'id', sort_direction: 'asc', limit: PERSON_PAGE_MAX, ...(cursor ? { cursor } : {}) }),
    );
    if ((page.data ?? []).some((p) => p.id === id)) return true;
    cursor = page.additional_data?.next_cursor ?? null;
  } while (cursor !== null);
  return false;
}

/** Run `work` over `items`, `limit` at a time; the first failure stops the rest and is thrown. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const lane = async () => {
    while (failed === null && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failed !== null) throw failed;
}

/**
 * Write each link (and code) onto the person fields mapped to `{referral_link}` (and `{code}`).
 * Pipedrive has no bulk person update, so each person is one PATCH; a person deleted meanwhile is
 * a failure of its own, anything else fails the batch for the shared retry decision (rewriting
 * the same values is harmless).
 */
export async function writeReferralLinks(ctx: PipedriveContext, writes: LinkWrite[]): Promise<LinkWriteResult> {
  const linkKeys = allKeysMappedTo(ctx.settings, 'person', 'referral_link');
  const codeKeys = allKeysMappedTo(ctx.settings, 'person', 'code');
  if (linkKeys.length === 0) {
    return { failed: writes.map((w) => ({ contact_id: w.contact_id, message: 'no Pipedrive person field is mapped to {referral_link} (set create_fields, or map one in person_fields)' })) };
  }
  const pd = await openPipedrive(ctx);
  const failed: LinkWriteResult['failed'] = [];
  await eachLimited(writes, WRITE_CONCURRENCY, async (w) => {
    const id = Number(w.contact_id);
    if (!Number.isInteger(id)) {
      failed.push({ contact_id: w.contact_id, message: 'not a Pipedrive person id' });
      return;
    }
    const custom_fields: Record<string, string> = {};
    for (const key of linkKeys) custom_fields[key] = w.referral_link;
    for (const key of codeKeys) custom_fields[key] = w.code;
    try {
      // https://developers.pipedrive.com/docs/api/v1/Persons#updatePerson (PATCH /api/v2/persons/{id})
      await pd.v2.persons.updatePerson({ id, UpdatePersonRequest: { custom_fields } });
    } catch (err) {
      if (isStatus(err, 404)) failed.push({ contact_id: w.contact_id, message: 'the person no longer exists in Pipedrive' });
      else throw err;
    }
  });
  return { failed };
}
