import { z } from 'zod';
import { SettingsError } from '../contract';
import { openPipedrive, type Pipedrive, type PipedriveContext } from './client';
import { keysMappedTo, ruleScopes, type FieldMap, type Placeholder, type PipedriveSettings } from './settings';

/**
 * Settings checked against the Pipedrive account before they are saved: every mapped field
 * exists and takes text, every pipeline and stage exists (and a stage belongs to its pipeline).
 * On request the referral custom fields are created and mapped; a deal's first stage defaults to
 * the pipeline's first stage. What the account cannot honour is a SettingsError naming the field.
 */

const fieldSchema = z.object({ key: z.string(), name: z.string(), field_type: z.string(), edit_flag: z.boolean().optional(), active_flag: z.boolean().optional() });
/** A person or deal field as `GET /v1/personFields` and `GET /v1/dealFields` describe it. */
export type Field = z.infer<typeof fieldSchema>;
const fieldPageSchema = z.object({
  data: z.array(fieldSchema).nullable(),
  additional_data: z.object({ pagination: z.object({ more_items_in_collection: z.boolean().optional(), next_start: z.number().optional() }).optional() }).optional(),
});
const cursorPage = { additional_data: z.object({ next_cursor: z.string().nullable().optional() }).nullable().optional() };
const pipelinesSchema = z.object({ data: z.array(z.object({ id: z.number(), name: z.string(), order_nr: z.number().optional(), is_deleted: z.boolean().optional() })), ...cursorPage });
const stagesSchema = z.object({ data: z.array(z.object({ id: z.number(), pipeline_id: z.number(), order_nr: z.number(), name: z.string(), is_deleted: z.boolean().optional() })), ...cursorPage });
export type Pipeline = z.infer<typeof pipelinesSchema>['data'][number];
export type Stage = z.infer<typeof stagesSchema>['data'][number];

/** Built-in fields the mapping may write (Pipedrive requires them); everything else must be a custom text field. */
export const builtIn = { person: 'name', deal: 'title' } as const;
const textTypes = new Set(['varchar', 'varchar_auto', 'text']);

/** Whether a field map may name this field: the required built-in one, or an active custom text field. */
export function isMappable(object: 'person' | 'deal', field: Field): boolean {
  if (field.key === builtIn[object]) return true;
  return field.edit_flag !== false && field.active_flag !== false && textTypes.has(field.field_type);
}

/** The custom fields we offer to create, and what they hold. */
const referralFields: Record<'person' | 'deal', Array<{ name: string; placeholder: Placeholder }>> = {
  person: [
    { name: 'Referral code', placeholder: 'code' },
    { name: 'Referral link', placeholder: 'referral_link' },
    { name: 'Referred by', placeholder: 'referrer' },
  ],
  deal: [
    { name: 'Referral code', placeholder: 'code' },
    { name: 'Referred by', placeholder: 'referrer' },
  ],
};

/** Every person or deal field of the company, built-in and custom, page by page. */
export async function listFields(pd: Pipedrive, object: 'person' | 'deal'): Promise<Field[]> {
  const out: Field[] = [];
  for (let start = 0; ; ) {
    // https://developers.pipedrive.com/docs/api/v1/PersonFields#getPersonFields · https://developers.pipedrive.com/docs/api/v1/DealFields#getDealFields
    const page = fieldPageSchema.parse(object === 'person' ? await pd.v1.personFields.getPersonFields({ start, limit: 500 }) : await pd.v1.dealFields.getDealFields({ start, limit: 500 }));
    out.push(...(page.data ?? []));
    const next = page.additional_data?.pagination;
    if (!next?.more_items_in_collection || next.next_start === undefined) return out;
    start = next.next_start;
  }
}

/** Every deal pipeline of the company (cursor pages of 500). */
export async function listPipelines(pd: Pipedrive): Promise<Pipeline[]> {
  const out: Pipeline[] = [];
  for (let cursor: string | undefined; ; ) {
    // https://developers.pipedrive.com/docs/api/v1/Pipelines#getPipelinesV2 (GET /api/v2/pipelines)
    const page = pipelinesSchema.parse(await pd.v2.pipelines.getPipelines({ limit: 500, ...(cursor ? { cursor } : {}) }));
    out.push(...page.data.filter((p) => p.is_deleted !== true));
    const next = page.additional_data?.next_cursor;
    if (!next) return out;
    cursor = next;
  }
}

/** Every stage of every pipeline (cursor pages of 500). */
export async function listStages(pd: Pipedrive): Promise<Stage[]> {
  const out: Stage[] = [];
  for (let cursor: string | undefined; ; ) {
    // https://developers.pipedrive.com/docs/api/v1/Stages#getStagesV2 (GET /api/v2/stages)
    const page = stagesSchema.parse(await pd.v2.stages.getStages({ limit: 500, ...(cursor ? { cursor } : {}) }));
    out.push(...page.data.filter((s) => s.is_deleted !== true));
    const next = page.additional_data?.next_cursor;
    if (!next) return out;
    cursor = next;
  }
}

async function createField(pd: Pipedrive, object: 'person' | 'deal', name: string): Promise<Field> {
  const request = { CreateFieldRequest: { name, field_type: 'varchar' as const } };
  // https://developers.pipedrive.com/docs/api/v1/PersonFields#addPersonField · https://developers.pipedrive.com/docs/api/v1/DealFields#addDealField
  const answer = object === 'person' ? await pd.v1.personFields.addPersonField(request) : await pd.v1.dealFields.addDealField(request);
  return z.object({ data: fieldSchema }).parse(answer).data;
}

/** Create the referral fields that do not exist yet (found by name) and map the ones not mapped yet. */
async function createReferralFields(pd: Pipedrive, object: 'person' | 'deal', fields: Field[], map: FieldMap): Promise<FieldMap> {
  const next = { ...map };
  for (const wanted of referralFields[object]) {
    if (keysMappedTo(next, wanted.placeholder).length > 0) continue;
    let field = fields.find((f) => f.edit_flag !== false && f.name.trim().toLowerCase() === wanted.name.toLowerCase());
    if (!field) {
      field = await createField(pd, object, wanted.name);
      fields.push(field);
    }
    next[field.key] = `{${wanted.placeholder}}`;
  }
  return next;
}

function checkMap(object: 'person' | 'deal', map: FieldMap | undefined, fields: Field[], path: string, errors: SettingsError['errors']): void {
  for (const key of Object.keys(map ?? {})) {
    if (key === builtIn[object]) continue;
    const field = fields.find((f) => f.key === key);
    const at = `${path}${object}_fields.${key}`;
    if (!field) errors.push({ path: at, message: `no ${object} field with key '${key}' in this Pipedrive account` });
    else if (field.edit_flag === false) errors.push({ path: at, message: `'${field.name}' is a built-in Pipedrive field: map '${builtIn[object]}' or a custom field` });
    else if (!textTypes.has(field.field_type)) errors.push({ path: at, message: `'${field.name}' is a ${field.field_type} field: map text fields only` });
  }
}

/** Check (and complete) the settings against the account; see the module comment. */
export async function prepareSettings(ctx: PipedriveContext): Promise<PipedriveSettings> {
  const pd = await openPipedrive(ctx);
  let settings = ctx.settings;
  const personFields = await listFields(pd, 'person');
  const dealFields = await listFields(pd, 'deal');
  if (settings.create_fields) {
    settings = {
      ...settings,
      person_fields: await createReferralFields(pd, 'person', personFields, settings.person_fields),
      deal_fields: await createReferralFields(pd, 'deal', dealFields, settings.deal_fields),
    };
  }

  const errors: SettingsError['errors'] = [];
  checkMap('person', settings.person_fields, personFields, '', errors);
  checkMap('deal', settings.deal_fields, dealFields, '', errors);
  for (const [id, campaign] of Object.entries(settings.campaigns)) {
    checkMap('person', campaign.person_fields, personFields, `campaigns.${id}.`, errors);
    checkMap('deal', campaign.deal_fields, dealFields, `campaigns.${id}.`, errors);
  }

  const pipelines = await listPipelines(pd);
  const stages = await listStages(pd);
  const firstStage = (pipelineId: number) => stages.filter((s) => s.pipeline_id === pipelineId).sort((a, b) => a.order_nr - b.order_nr)[0];
  const campaigns = { ...settings.campaigns };
  let topStage = settings.stage_id;

  for (const { campaignId, path, rules } of ruleScopes(settings)) {
    const own = campaignId === null ? null : campaigns[campaignId];
    // Report a setting where the user wrote it: on the campaign when it overrides, else at the top.
    const where = (key: 'pipeline_id' | 'stage_id' | 'qualified_stage_id') => (own && own[key] !== undefined ? `${path}${key}` : key);
    const pipelineId = rules.pipeline_id;
    if (pipelineId !== null && !pipelines.some((p) => p.id === pipelineId)) {
      errors.push({ path: where('pipeline_id'), message: `no pipeline ${pipelineId} in this Pipedrive account` });
      continue;
    }
    for (const key of ['stage_id', 'qualified_stage_id'] as const) {
      const stageId = rules[key];
      if (stageId === null) continue;
      const stage = stages.find((s) => s.id === stageId);
      if (!stage) errors.push({ path: where(key), message: `no stage ${stageId} in this Pipedrive account` });
      else if (pipelineId !== null && stage.pipeline_id !== pipelineId) errors.push({ path: where(key), message: `stage ${stageId} (${stage.name}) is not in pipeline ${pipelineId}` });
    }
    if (rules.send_as === 'deal' && pipelineId !== null && rules.stage_id === null) {
      const first = firstStage(pipelineId);
      if (!first) errors.push({ path: where('pipeline_id'), message: `pipeline ${pipelineId} has no stages` });
      else if (own && campaignId !== null && own.pipeline_id !== undefined) campaigns[campaignId] = { ...own, stage_id: first.id };
      else topStage = first.id;
    }
  }
  if (errors.length > 0) throw new SettingsError(errors);
  return { ...settings, stage_id: topStage, campaigns };
}
