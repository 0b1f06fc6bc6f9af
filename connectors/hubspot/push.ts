import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/deals/models/AssociationSpec';
import { z } from 'zod';
import type { BatchPushOutcome, PushInput, PushResult } from '../contract';
import { VendorError } from '../retry';
import { openHubSpot, type HubSpot, type HubSpotContext } from './client';
import { rulesFor, type DealSettings } from './settings';
import { lookupDealStage } from './stage-names';

/**
 * Participants → HubSpot contacts by batch upsert keyed on email (`idProperty: email`): one call
 * for up to 100 participants, never two contacts for one email. Optionally a deal in the chosen
 * pipeline and stage is made next to each contact, associated to it; a contact that already has an
 * associated deal (a retried push) keeps it instead of getting a second one. A deal made here
 * reports the stage it starts in, named.
 */

/** HubSpot's most inputs per batch call. */
export const BATCH_MAX = 100;
// https://developers.hubspot.com/docs/api/crm/associations (deal → contact, HUBSPOT_DEFINED 3)
const DEAL_TO_CONTACT = 3;

const objectSchema = z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullable()).default({}), objectWriteTraceId: z.string().optional() });
const upsertedSchema = objectSchema.extend({ _new: z.boolean().optional() });
const batchErrorSchema = z.object({ category: z.string().optional(), message: z.string().optional(), context: z.record(z.string(), z.array(z.string())).optional() });
const upsertAnswerSchema = z.object({ results: z.array(upsertedSchema), errors: z.array(batchErrorSchema).optional() });
const createdAnswerSchema = z.object({ results: z.array(objectSchema), errors: z.array(batchErrorSchema).optional() });
const associationsAnswerSchema = z.object({
  results: z.array(z.object({ _from: z.object({ id: z.string() }), to: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]).transform(String) })) })),
});

/** The contact properties a participant writes (the `referloop` group, see settings.ts). */
export function contactProperties(input: PushInput): Record<string, string> {
  return {
    email: input.email,
    ...(input.first_name ? { firstname: input.first_name } : {}),
    ...(input.last_name ? { lastname: input.last_name } : {}),
    referral_code: input.code,
    referral_link: input.referral_link,
    referred_by_email: input.referrer?.email ?? '',
    referred_by_code: input.referrer?.code ?? '',
    referral_status: input.referral_status ?? '',
  };
}

const fill = (template: string, input: PushInput) =>
  template
    .replaceAll('{name}', input.name ?? input.email)
    .replaceAll('{email}', input.email)
    .replaceAll('{code}', input.code)
    .replaceAll('{campaign}', input.campaign_name)
    .slice(0, 200);

/** A batch error's reading for the shared retry decision: HubSpot refusing the data is not worth retrying. */
function failureOf(error: z.infer<typeof batchErrorSchema> | undefined): { status: number; message: string } {
  const message = error?.message ?? 'HubSpot answered no record for this participant';
  return { status: error?.category === 'VALIDATION_ERROR' || error?.category === 'INVALID_EMAIL' ? 400 : 502, message };
}

/** A participant's deal: one already associated with its contact, or one made now (in the configured pipeline and stage). */
interface EnsuredDeal {
  id: string;
  made: DealSettings | null;
}

/** Deals for contacts that need one: an associated deal kept when there is one, else a new deal made. */
async function ensureDeals(hs: HubSpot, wanted: Array<{ input: PushInput; contactId: string; isNew: boolean; deal: DealSettings }>): Promise<Map<string, EnsuredDeal>> {
  const deals = new Map<string, EnsuredDeal>();
  const known = wanted.filter((w) => !w.isNew);
  if (known.length > 0) {
    // https://developers.hubspot.com/docs/api/crm/associations (POST /crm/v4/associations/contacts/deals/batch/read)
    const answer = associationsAnswerSchema.parse(await hs.call((c) => c.crm.associations.v4.batchApi.getPage('contacts', 'deals', { inputs: known.map((w) => ({ id: w.contactId })) })));
    for (const w of known) {
      const found = answer.results.find((r) => r._from.id === w.contactId)?.to[0];
      if (found) deals.set(w.input.participant_id, { id: found.toObjectId, made: null });
    }
  }
  const missing = wanted.filter((w) => !deals.has(w.input.participant_id));
  if (missing.length === 0) return deals;
  // https://developers.hubspot.com/docs/api/crm/deals (POST /crm/v3/objects/deals/batch/create), matched back by objectWriteTraceId
  const created = createdAnswerSchema.parse(
    await hs.call((c) =>
      c.crm.deals.batchApi.create({
        inputs: missing.map((w) => ({
          objectWriteTraceId: w.input.participant_id,
          properties: { dealname: fill(w.deal.name, w.input), pipeline: w.deal.pipeline_id, dealstage: w.deal.stage_id },
          associations: [{ to: { id: w.contactId }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: DEAL_TO_CONTACT }] }],
        })),
      }),
    ),
  );
  for (const d of created.results) {
    const w = missing.find((m) => m.input.participant_id === d.objectWriteTraceId);
    if (w) deals.set(w.input.participant_id, { id: d.id, made: w.deal });
  }
  return deals;
}

/** Push up to `BATCH_MAX` participants in one upsert; outcomes in input order. */
export async function pushParticipants(ctx: HubSpotContext, inputs: PushInput[]): Promise<BatchPushOutcome[]> {
  if (inputs.length > BATCH_MAX) throw new Error(`at most ${BATCH_MAX} participants per HubSpot batch`);
  const hs = await openHubSpot(ctx);
  // One input per email (HubSpot refuses duplicates in a batch): the newest participant's values win.
  const byEmail = new Map<string, PushInput>();
  for (const input of inputs) {
    const key = input.email.trim().toLowerCase();
    const prior = byEmail.get(key);
    if (!prior || prior.created_at <= input.created_at) byEmail.set(key, input);
  }
  const sent = [...byEmail.values()];
  // https://developers.hubspot.com/docs/api/crm/contacts (POST /crm/v3/objects/contacts/batch/upsert, idProperty email; 200 or 207)
  const answer = upsertAnswerSchema.parse(
    await hs.call((c) =>
      c.crm.contacts.batchApi.upsert({ inputs: sent.map((input) => ({ id: input.email, idProperty: 'email', objectWriteTraceId: input.participant_id, properties: contactProperties(input) })) }),
    ),
  );
  const contacts = new Map<string, { id: string; isNew: boolean }>();
  for (const r of answer.results) {
    const email = r.properties.email?.trim().toLowerCase();
    const input = (r.objectWriteTraceId ? sent.find((s) => s.participant_id === r.objectWriteTraceId) : undefined) ?? (email ? byEmail.get(email) : undefined);
    if (input) contacts.set(input.email.trim().toLowerCase(), { id: r.id, isNew: r._new ?? false });
  }
  const wantDeals = sent.flatMap((input) => {
    const deal = rulesFor(ctx.settings, input.campaign_id).deal;
    const contact = contacts.get(input.email.trim().toLowerCase());
    return deal && contact && !input.existing?.deal ? [{ input, contactId: contact.id, isNew: contact.isNew, deal }] : [];
  });
  // Stages named before any deal is made, so a failing lookup fails the batch before anything exists.
  const stages = new Map<string, Awaited<ReturnType<typeof lookupDealStage>>>();
  for (const stageId of new Set(wantDeals.map((w) => w.deal.stage_id))) stages.set(stageId, await lookupDealStage(ctx, hs, stageId));
  const deals = wantDeals.length > 0 ? await ensureDeals(hs, wantDeals) : new Map<string, EnsuredDeal>();
  const failure = failureOf(answer.errors?.[0]);
  return inputs.map((input): BatchPushOutcome => {
    const contact = contacts.get(input.email.trim().toLowerCase());
    if (!contact) return { ok: false, ...failure };
    const ensured = deals.get(input.participant_id);
    const deal = ensured?.id ?? input.existing?.deal;
    const result: PushResult = { ids: { contact: contact.id, ...(deal ? { deal } : {}) }, created: contact.isNew };
    // A deal made now shows its first stage at once; one found again stays where the team moved it.
    if (ensured?.made) result.stage = { object: 'deal', record_id: ensured.id, pipeline_id: ensured.made.pipeline_id, stage_id: ensured.made.stage_id, status: 'open', ...stages.get(ensured.made.stage_id) };
    return { ok: true, result };
  });
}

/** One participant: a batch of one. */
export async function pushParticipant(ctx: HubSpotContext, input: PushInput): Promise<PushResult> {
  const [outcome] = await pushParticipants(ctx, [input]);
  if (outcome.ok) return outcome.result;
  throw new VendorError('hubspot', { status: outcome.status, message: outcome.message });
}
