import { z } from 'zod';
import type { Signal } from '../contract';
import { openHubSpot, type HubSpotContext } from './client';
import { readContacts, toContact } from './sync';

/**
 * Complete a stored signal at HubSpot before it is applied (webhook events name only an object id):
 * a deal's associated contacts (associations v4), a contact's email and referral code, a new
 * contact's email and names. Null when the signal already says enough.
 */

const associationsSchema = z.object({ results: z.array(z.object({ _from: z.object({ id: z.string() }), to: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]).transform(String) })) })) });

export async function resolveSignal(ctx: HubSpotContext, signal: Signal): Promise<Signal | null> {
  if (signal.kind === 'contact_created') {
    if (signal.contact.email) return null;
    const [contact] = await readContacts(await openHubSpot(ctx), [signal.contact.id]);
    return contact ? { ...signal, contact: toContact(contact) } : null;
  }
  if (signal.kind !== 'qualify' && signal.kind !== 'unqualify') return null;
  const record = signal.match.record;
  if (!record) return null;
  if (record.object === 'deal' && !signal.match.records) {
    const hs = await openHubSpot(ctx);
    // https://developers.hubspot.com/docs/api/crm/associations (POST /crm/v4/associations/deals/contacts/batch/read)
    const links = associationsSchema.parse(await hs.call((c) => c.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: record.id }] })));
    const contacts = links.results.flatMap((r) => r.to.map((t) => ({ object: 'contact', id: t.toObjectId })));
    return contacts.length > 0 ? { ...signal, match: { ...signal.match, records: contacts.slice(0, 100) } } : null;
  }
  if (record.object === 'contact' && !signal.match.email) {
    const [contact] = await readContacts(await openHubSpot(ctx), [record.id]);
    if (!contact) return null;
    const found = toContact(contact);
    return { ...signal, match: { ...signal.match, ...(found.email ? { email: found.email } : {}), ...(found.referral_code ? { referral_code: found.referral_code } : {}) } };
  }
  return null;
}
