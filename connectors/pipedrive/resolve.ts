import { z } from 'zod';
import type { Signal } from '../contract';
import { isStatus, openPipedrive, type PipedriveContext } from './client';
import { nameStage } from './stage-names';
import { primaryEmail } from './sync';

/**
 * Complete a deal's qualify/unqualify signal before it is applied (webhooks are answered at once
 * and parsed without vendor calls, so this runs later, in the apply job). The deal is read with
 * its `source_lead_id`, so a deal converted from one of our leads finds the lead's participant, and
 * its person's email is added as the last way to match — after the stored deal id and the
 * referral-code field. A deal's stage signal gets its pipeline and stage names (stage-names.ts).
 */

const dealSchema = z.object({ data: z.object({ id: z.number(), person_id: z.number().nullable().optional(), source_lead_id: z.string().nullable().optional() }) });
const personSchema = z.object({ data: z.object({ emails: z.array(z.object({ value: z.string(), primary: z.boolean().optional() })).nullable().optional() }) });

export async function resolveSignal(ctx: PipedriveContext, signal: Signal): Promise<Signal | null> {
  if (signal.kind === 'stage') {
    if (signal.stage.stage) return null;
    const stage = await nameStage(ctx, await openPipedrive(ctx), signal.stage);
    return stage.stage ? { ...signal, stage } : null;
  }
  if (signal.kind !== 'qualify' && signal.kind !== 'unqualify') return null;
  const record = signal.match.record;
  if (record?.object !== 'deal' || signal.match.email) return null;
  const dealId = Number(record.id);
  if (!Number.isInteger(dealId)) return null;
  const pd = await openPipedrive(ctx);
  let deal: z.infer<typeof dealSchema>['data'];
  try {
    // https://developers.pipedrive.com/docs/api/v1/Deals#getDeal (GET /api/v2/deals/{id}?include_fields=source_lead_id)
    deal = dealSchema.parse(await pd.v2.deals.getDeal({ id: dealId, include_fields: 'source_lead_id' })).data;
  } catch (err) {
    // Deleted since: what the delivery said is all there is.
    if (isStatus(err, 404)) return null;
    throw err;
  }
  let email: string | null = null;
  if (deal.person_id) {
    try {
      // https://developers.pipedrive.com/docs/api/v1/Persons#getPerson (GET /api/v2/persons/{id})
      email = primaryEmail(personSchema.parse(await pd.v2.persons.getPerson({ id: deal.person_id })).data.emails);
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
    }
  }
  const lead = deal.source_lead_id ? [{ object: 'lead', id: deal.source_lead_id }] : [];
  if (lead.length === 0 && !email) return null;
  return { ...signal, match: { ...signal.match, ...(lead.length > 0 ? { records: [...(signal.match.records ?? []), ...lead] } : {}), ...(email ? { email } : {}) } };
}
