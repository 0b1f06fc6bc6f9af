import type { LinkWrite, Vendor, VendorContact } from '@referloop/connectors';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { createParticipantIn } from '../domain/participants';
import { createParticipantSchema } from '../schemas/participant';
import { storeVendorIds } from './vendor-records';

export type ImportOutcome = { kind: 'created' | 'updated'; participantId: string; link: LinkWrite } | { kind: 'failed'; message: string };

const name = (v: string | null | undefined) => (v ? v.trim().slice(0, 100) || undefined : undefined);

/**
 * A vendor contact becomes an `imported` participant of the campaign (or, when its email is
 * already there, the existing participant gains the vendor id). Runs under a savepoint so one bad
 * contact fails alone instead of taking its whole page down.
 */
export async function importContact(q: Queryable, hub: HubContext, workspaceId: string, vendor: Vendor, campaignId: string, contact: VendorContact): Promise<ImportOutcome> {
  if (!contact.email) return { kind: 'failed', message: 'the contact has no email' };
  const input = createParticipantSchema.safeParse({ campaign_id: campaignId, email: contact.email, first_name: name(contact.first_name), last_name: name(contact.last_name) });
  if (!input.success) return { kind: 'failed', message: `invalid contact: ${input.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` };
  await q.query('SAVEPOINT import_contact');
  try {
    const { participant, created } = await createParticipantIn(q, hub, workspaceId, input.data, { source: vendor, type: 'imported' });
    await storeVendorIds(q, workspaceId, participant.id, vendor, { [contact.object]: contact.id }, { origin: created ? 'sync' : undefined });
    await q.query('RELEASE SAVEPOINT import_contact');
    return {
      kind: created ? 'created' : 'updated',
      participantId: participant.id,
      link: { contact_id: contact.id, participant_id: participant.id, code: participant.code, referral_link: hub.links.referralLink(participant.code) },
    };
  } catch (err) {
    await q.query('ROLLBACK TO SAVEPOINT import_contact');
    return { kind: 'failed', message: err instanceof Error ? err.message : String(err) };
  }
}
