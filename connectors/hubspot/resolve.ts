import { z } from 'zod';
import type { RecordRef, Signal } from '../contract';
import { openHubSpot, type HubSpot, type HubSpotContext } from './client';
import { nameStage } from './stage-names';
import { readContacts, toContact } from './sync';

/**
 * Complete a stored signal at HubSpot before it is applied (webhook events name only an object id):
 * a deal's associated contacts (associations v4), a contact's email and referral code, a new
 * contact's email and names, a stage's names (stage-names.ts, cached). Null when the signal
 * already says enough.
 */

const associationsSchema = z.object({ results: z.array(z.object({ _from: z.object({ id: z.string() }), to: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]).transform(String) })) })) });

/** The contacts associated with a deal. */
async function dealContacts(hs: HubSpot, dealId: string): Promise<RecordRef[]> {
  // https://developers.hubspot.com/docs/api/crm/associations (POST /crm/v4/associations/deals/contacts/batch/read)
  const links = associationsSchema.parse(await hs.call((c) => c.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: [{ id: dealId }] })));
  return links.results.flatMap((r) => r.to.map((t) => ({ object: 'contact', id: t.toObjectId }))).slice(0, 100);
}

/** A stage signal named, and a deal's completed with its contacts (the participant is one of them). */
async function resolveStage(ctx: HubSpotContext, signal: Extract<Signal, { kind: 'stage' }>): Promise<Signal | null> {
  const needsContacts = signal.stage.object === 'deal' && !signal.match.records;
  if (signal.stage.stage && !needsContacts) return null;
  const hs = await openHubSpot(ctx);
  const stage = signal.stage.stage ? signal.stage : await nameStage(ctx, hs, signal.stage);
  const contacts = needsContacts ? await dealContacts(hs, signal.stage.record_id) : [];
  return { ...signal, stage, match: contacts.length > 0 ? { ...signal.match, records: contacts } : signal.match };
}

export async function resolveSignal(ctx: HubSpotContext, signal: Signal): Promise<Signal | null> {
  if (signal.kind === 'contact_created') {
    if (signal.contact.email) return null;
    const [contact] = await readContacts(await openHubSpot(ctx), [signal.contact.id]);
    return contact ? { ...signal, contact: toContact(contact) } : null;
  }
  if (signal.kind === 'stage') return resolveStage(ctx, signal);
  if (signal.kind !== 'qualify' && signal.kind !== 'unqualify') return null;
  const record = signal.match.record;
  if (!record) return null;
  if (record.object === 'deal' && !signal.match.records) {
    const contacts = await dealContacts(await openHubSpot(ctx), record.id);
    return contacts.length > 0 ? { ...signal, match: { ...signal.match, records: contacts } } : null;
  }
  if (record.object === 'contact' && !signal.match.email) {
    const [contact] = await readContacts(await openHubSpot(ctx), [record.id]);
    if (!contact) return null;
    const found = toContact(contact);
    return { ...signal, match: { ...signal.match, ...(found.email ? { email: found.email } : {}), ...(found.referral_code ? { referral_code: found.referral_code } : {}) } };
  }
  return null;
}
