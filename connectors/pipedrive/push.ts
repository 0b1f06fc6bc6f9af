import type * as v1 from 'pipedrive/v1';
import { z } from 'zod';
import type { PushInput, PushResult, RecordStage } from '../contract';
import { isStatus, openPipedrive, type Pipedrive, type PipedriveContext } from './client';
import { renderFields, templateValues } from './mapping';
import { keysMappedTo, rulesFor } from './settings';
import { lookupStage, nameStage } from './stage-names';
import { customValue } from './sync';

/**
 * A participant → a Pipedrive person (found by exact email, else created: never two persons for
 * one email) and, next to it, a deal in the campaign's pipeline and first stage or a lead, with
 * the mapped fields. A retried push finds what an earlier one made — by the ids it stored, else by
 * the person's open record with the same title — and updates it instead of making another. A deal
 * made by the push reports the stage it starts in, named.
 */

const personIdSchema = z.object({ data: z.object({ id: z.number().int() }) });
const searchSchema = z.object({
  data: z.object({ items: z.array(z.object({ item: z.object({ id: z.number().int(), emails: z.array(z.string()).optional() }) })) }).nullable(),
});
const dealsSchema = z.object({ data: z.array(z.object({ id: z.number().int(), title: z.string(), custom_fields: z.record(z.string(), z.unknown()).nullable().optional() })).nullable() });
const leadSchema = z.object({ data: z.object({ id: z.string().min(1) }) });
const leadsSchema = z.object({ data: z.array(z.object({ id: z.string(), title: z.string() }).catchall(z.unknown())).nullable() });

/**
 * Whether a record of the person is the one an earlier push made: the same title and, when a
 * field holds the code, this participant's code (one person may be referred in two campaigns).
 */
function madeByUs(record: { title: string }, fields: Record<string, unknown>, rendered: Rendered, codeKeys: string[], code: string): boolean {
  if (record.title !== rendered.builtIn) return false;
  return codeKeys.length === 0 || codeKeys.some((k) => customValue(fields[k]) === code);
}

type Rendered = ReturnType<typeof renderFields>;

async function findPersonByEmail(pd: Pipedrive, email: string): Promise<number | null> {
  // https://developers.pipedrive.com/docs/api/v1/Persons#searchPersons (GET /api/v2/persons/search?term=&fields=email&exact_match=true)
  const found = searchSchema.parse(await pd.v2.persons.searchPersons({ term: email, fields: 'email', exact_match: true, limit: 10 }));
  const wanted = email.trim().toLowerCase();
  const hit = (found.data?.items ?? []).find((i) => (i.item.emails ?? []).some((e) => e.trim().toLowerCase() === wanted));
  return hit ? hit.item.id : null;
}

/** The person for this email: updated when we know it, else found by email, else created. */
async function upsertPerson(pd: Pipedrive, input: PushInput, person: Rendered): Promise<number> {
  const update = async (id: number): Promise<boolean> => {
    if (Object.keys(person.custom).length === 0) return true;
    try {
      // https://developers.pipedrive.com/docs/api/v1/Persons#updatePerson (PATCH /api/v2/persons/{id}); the name a salesperson may have edited stays
      await pd.v2.persons.updatePerson({ id, UpdatePersonRequest: { custom_fields: person.custom } });
      return true;
    } catch (err) {
      if (isStatus(err, 404)) return false;
      throw err;
    }
  };
  const known = input.existing?.person ? Number(input.existing.person) : null;
  if (known && Number.isInteger(known) && (await update(known))) return known;
  const found = await findPersonByEmail(pd, input.email);
  if (found !== null && (await update(found))) return found;
  // https://developers.pipedrive.com/docs/api/v1/Persons#addPerson (POST /api/v2/persons)
  const created = personIdSchema.parse(
    await pd.v2.persons.addPerson({ AddPersonRequest: { name: person.builtIn, emails: [{ value: input.email, primary: true, label: 'work' }], custom_fields: person.custom } }),
  );
  return created.data.id;
}

const createdDealSchema = z.object({ data: z.object({ id: z.number().int(), pipeline_id: z.number().int().nullable().optional(), stage_id: z.number().int().nullable().optional() }) });

/** A deal we found (id only), or made (with the pipeline and stage Pipedrive put it in). */
type UpsertedDeal = { id: number; created: false } | { id: number; created: true; pipelineId: number; stageId: number | null };

async function upsertDeal(pd: Pipedrive, input: PushInput, personId: number, pipelineId: number, stageId: number | null, deal: Rendered, codeKeys: string[]): Promise<UpsertedDeal> {
  const update = async (id: number): Promise<boolean> => {
    try {
      // https://developers.pipedrive.com/docs/api/v1/Deals#updateDeal (PATCH /api/v2/deals/{id}); stage and title stay where the team put them
      await pd.v2.deals.updateDeal({ id, UpdateDealRequest: { custom_fields: deal.custom } });
      return true;
    } catch (err) {
      if (isStatus(err, 404)) return false;
      throw err;
    }
  };
  const known = input.existing?.deal ? Number(input.existing.deal) : null;
  if (known && Number.isInteger(known) && (await update(known))) return { id: known, created: false };
  // https://developers.pipedrive.com/docs/api/v1/Deals#getDeals (GET /api/v2/deals?person_id=&pipeline_id=)
  const prior = dealsSchema.parse(await pd.v2.deals.getDeals({ person_id: personId, pipeline_id: pipelineId, limit: 100 })).data?.find((d) => madeByUs(d, d.custom_fields ?? {}, deal, codeKeys, input.code));
  if (prior && (await update(prior.id))) return { id: prior.id, created: false };
  // https://developers.pipedrive.com/docs/api/v1/Deals#addDeal (POST /api/v2/deals)
  const created = createdDealSchema.parse(
    await pd.v2.deals.addDeal({
      AddDealRequest: { title: deal.builtIn, person_id: personId, pipeline_id: pipelineId, ...(stageId === null ? {} : { stage_id: stageId }), custom_fields: deal.custom },
    }),
  ).data;
  return { id: created.id, created: true, pipelineId: created.pipeline_id ?? pipelineId, stageId: created.stage_id ?? stageId };
}

async function upsertLead(pd: Pipedrive, input: PushInput, personId: number, lead: Rendered, codeKeys: string[]): Promise<{ id: string; created: boolean }> {
  // v1 leads take custom (deal) fields as top-level keys.
  const update = async (id: string): Promise<boolean> => {
    if (Object.keys(lead.custom).length === 0) return true;
    try {
      const body: v1.UpdateLeadRequest = { ...lead.custom };
      // https://developers.pipedrive.com/docs/api/v1/Leads#updateLead (PATCH /v1/leads/{id})
      await pd.v1.leads.updateLead({ id, UpdateLeadRequest: body });
      return true;
    } catch (err) {
      if (isStatus(err, 404)) return false;
      throw err;
    }
  };
  const known = input.existing?.lead ?? null;
  if (known && (await update(known))) return { id: known, created: false };
  // https://developers.pipedrive.com/docs/api/v1/Leads#getLeads (GET /v1/leads?person_id=)
  const prior = leadsSchema.parse(await pd.v1.leads.getLeads({ person_id: personId, limit: 100 })).data?.find((l) => madeByUs(l, l, lead, codeKeys, input.code));
  if (prior && (await update(prior.id))) return { id: prior.id, created: false };
  const body: v1.AddLeadRequest = { ...lead.custom, title: lead.builtIn, person_id: personId };
  // https://developers.pipedrive.com/docs/api/v1/Leads#addLead (POST /v1/leads)
  const created = leadSchema.parse(await pd.v1.leads.addLead({ AddLeadRequest: body }));
  return { id: created.data.id, created: true };
}

export async function pushParticipant(ctx: PipedriveContext, input: PushInput): Promise<PushResult> {
  const pd = await openPipedrive(ctx);
  const rules = rulesFor(ctx.settings, input.campaign_id);
  const values = templateValues(input);
  const personId = await upsertPerson(pd, input, renderFields(rules.person_fields, 'name', values, input.email));
  const record = renderFields(rules.deal_fields, 'title', values, `Referral: ${input.email}`);
  const codeKeys = keysMappedTo(rules.deal_fields, 'code');
  if (rules.send_as === 'lead') {
    const lead = await upsertLead(pd, input, personId, record, codeKeys);
    return { ids: { person: String(personId), lead: lead.id }, created: lead.created };
  }
  // The settings schema makes every deal-sending rule name a pipeline.
  if (rules.pipeline_id === null) throw new Error(`campaign ${input.campaign_id} sends deals but names no pipeline`);
  // Named before the deal is made, so a failing lookup fails the push before anything exists (a retry then makes the deal, stage and all).
  const planned = rules.stage_id === null ? null : await lookupStage(ctx, pd, String(rules.stage_id));
  const deal = await upsertDeal(pd, input, personId, rules.pipeline_id, rules.stage_id, record, codeKeys);
  const ids = { person: String(personId), deal: String(deal.id) };
  // A new deal shows its first stage at once; a deal found again stays where the team moved it (its webhooks tell).
  if (!deal.created || deal.stageId === null) return { ids, created: deal.created };
  const first: RecordStage = { object: 'deal', record_id: String(deal.id), pipeline_id: String(deal.pipelineId), stage_id: String(deal.stageId), status: 'open' };
  const stage = planned && String(deal.stageId) === String(rules.stage_id) ? { ...first, ...planned } : await nameStage(ctx, pd, first);
  return { ids, created: true, stage };
}
