import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate';
import { z } from 'zod';
import { SettingsError } from '../contract';
import { isStatus, openHubSpot, type HubSpot, type HubSpotContext } from './client';
import { PROPERTY_GROUP, referralProperties, ruleScopes, type HubSpotSettings } from './settings';

/**
 * Settings checked and completed against the HubSpot account before they are saved: the
 * `referloop` property group and its contact properties are created when missing, and every
 * pipeline and stage the rules and deals name must exist.
 */

const namedSchema = z.object({ results: z.array(z.object({ name: z.string() })) });
const optionSchema = z.object({ value: z.string(), label: z.string(), displayOrder: z.number().optional(), hidden: z.boolean().optional() });
const propertySchema = z.object({
  name: z.string(),
  label: z.string(),
  type: z.string(),
  fieldType: z.string().optional(),
  options: z.array(optionSchema).optional(),
  calculated: z.boolean().optional(),
  hidden: z.boolean().optional(),
  archived: z.boolean().optional(),
  hubspotDefined: z.boolean().optional(),
  modificationMetadata: z.object({ readOnlyValue: z.boolean().optional() }).optional(),
});
/** A contact property as `GET /crm/v3/properties/contacts` describes it. */
export type ContactProperty = z.infer<typeof propertySchema>;
const stageSchema = z.object({ id: z.string(), label: z.string(), displayOrder: z.number().optional(), archived: z.boolean().optional() });
const pipelineSchema = z.object({ id: z.string(), label: z.string(), displayOrder: z.number().optional(), archived: z.boolean().optional(), stages: z.array(stageSchema) });
/** A deal pipeline and its stages as `GET /crm/v3/pipelines/deals` answers them. */
export type DealPipeline = z.infer<typeof pipelineSchema>;

/** Every contact property of the account (not archived ones), with the options of enumerations. */
export async function listContactProperties(hs: HubSpot): Promise<ContactProperty[]> {
  // https://developers.hubspot.com/docs/api/crm/properties (GET /crm/v3/properties/contacts)
  return z.object({ results: z.array(propertySchema) }).parse(await hs.call((c) => c.crm.properties.coreApi.getAll('contacts', false))).results;
}

/** The account's deal pipelines with their stages. */
export async function listDealPipelines(hs: HubSpot): Promise<DealPipeline[]> {
  // https://developers.hubspot.com/docs/api/crm/pipelines (GET /crm/v3/pipelines/deals)
  return z.object({ results: z.array(pipelineSchema) }).parse(await hs.call((c) => c.crm.pipelines.pipelinesApi.getAll('deals'))).results;
}

async function ensureProperties(hs: HubSpot): Promise<void> {
  // https://developers.hubspot.com/docs/api/crm/properties (GET /crm/v3/properties/contacts/groups)
  const groups = namedSchema.parse(await hs.call((c) => c.crm.properties.groupsApi.getAll('contacts')));
  if (!groups.results.some((g) => g.name === PROPERTY_GROUP.name)) {
    try {
      // POST /crm/v3/properties/contacts/groups (201)
      await hs.call((c) => c.crm.properties.groupsApi.create('contacts', { name: PROPERTY_GROUP.name, label: PROPERTY_GROUP.label, displayOrder: -1 }));
    } catch (err) {
      // Made meanwhile by a concurrent connect: fine.
      if (!isStatus(err, 409)) throw err;
    }
  }
  const existing = new Set((await listContactProperties(hs)).map((p) => p.name));
  const missing = referralProperties.filter((p) => !existing.has(p.name));
  if (missing.length === 0) return;
  // POST /crm/v3/properties/contacts/batch/create (201 or 207)
  await hs.call((c) =>
    c.crm.properties.batchApi.create('contacts', {
      inputs: missing.map((p) => ({ name: p.name, label: p.label, type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text, groupName: PROPERTY_GROUP.name, formField: false })),
    }),
  );
}

/** Every pipeline/stage named must exist in the account's deal pipelines. */
async function checkPipelines(hs: HubSpot, settings: HubSpotSettings): Promise<void> {
  const named: Array<{ path: string; pipeline: string; stage: string }> = [];
  for (const { path, rules } of ruleScopes(settings)) {
    for (const key of ['qualify', 'unqualify'] as const) {
      const rule = rules[key];
      if (rule?.when === 'deal_stage') named.push({ path: `${path}${key}`, pipeline: rule.pipeline_id, stage: rule.stage_id });
    }
    if (rules.deal) named.push({ path: `${path}deal`, pipeline: rules.deal.pipeline_id, stage: rules.deal.stage_id });
  }
  if (named.length === 0) return;
  const pipelines = await listDealPipelines(hs);
  const errors: Array<{ path: string; message: string }> = [];
  for (const n of named) {
    const pipeline = pipelines.find((p) => p.id === n.pipeline);
    if (!pipeline) errors.push({ path: `${n.path}.pipeline_id`, message: `no deal pipeline '${n.pipeline}' in this HubSpot account` });
    else if (!pipeline.stages.some((s) => s.id === n.stage)) errors.push({ path: `${n.path}.stage_id`, message: `no stage '${n.stage}' in deal pipeline '${n.pipeline}'` });
  }
  if (errors.length > 0) throw new SettingsError(errors);
}

/**
 * The account's lifecycle stages in their order (custom ones included), and a check that every
 * lifecycle rule names one of them: "reaches" is then measured on the account's own order.
 */
async function lifecycleOrder(hs: HubSpot, settings: HubSpotSettings): Promise<string[]> {
  // https://developers.hubspot.com/docs/api/crm/properties (GET /crm/v3/properties/contacts/lifecyclestage)
  const property = propertySchema.parse(await hs.call((c) => c.crm.properties.coreApi.getByName('contacts', 'lifecyclestage')));
  const order = (property.options ?? [])
    .filter((o) => o.hidden !== true)
    .sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0))
    .map((o) => o.value);
  const errors: Array<{ path: string; message: string }> = [];
  for (const { path, rules } of ruleScopes(settings)) {
    for (const key of ['qualify', 'unqualify'] as const) {
      const rule = rules[key];
      if (rule?.when === 'lifecycle_stage' && !order.includes(rule.stage)) errors.push({ path: `${path}${key}.stage`, message: `no lifecycle stage '${rule.stage}' in this HubSpot account (${order.join(', ')})` });
    }
  }
  if (errors.length > 0) throw new SettingsError(errors);
  return order;
}

export async function prepareSettings(ctx: HubSpotContext): Promise<HubSpotSettings> {
  const hs = await openHubSpot(ctx);
  if (ctx.settings.create_properties) await ensureProperties(hs);
  await checkPipelines(hs, ctx.settings);
  return { ...ctx.settings, lifecycle_order: await lifecycleOrder(hs, ctx.settings) };
}
