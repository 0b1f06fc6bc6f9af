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
const pipelinesSchema = z.object({ results: z.array(z.object({ id: z.string(), stages: z.array(z.object({ id: z.string() })) })) });

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
  // GET /crm/v3/properties/contacts
  const existing = new Set(namedSchema.parse(await hs.call((c) => c.crm.properties.coreApi.getAll('contacts', false))).results.map((p) => p.name));
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
  // https://developers.hubspot.com/docs/api/crm/pipelines (GET /crm/v3/pipelines/deals)
  const pipelines = pipelinesSchema.parse(await hs.call((c) => c.crm.pipelines.pipelinesApi.getAll('deals'))).results;
  const errors: Array<{ path: string; message: string }> = [];
  for (const n of named) {
    const pipeline = pipelines.find((p) => p.id === n.pipeline);
    if (!pipeline) errors.push({ path: `${n.path}.pipeline_id`, message: `no deal pipeline '${n.pipeline}' in this HubSpot account` });
    else if (!pipeline.stages.some((s) => s.id === n.stage)) errors.push({ path: `${n.path}.stage_id`, message: `no stage '${n.stage}' in deal pipeline '${n.pipeline}'` });
  }
  if (errors.length > 0) throw new SettingsError(errors);
}

export async function prepareSettings(ctx: HubSpotContext): Promise<HubSpotSettings> {
  const hs = await openHubSpot(ctx);
  if (ctx.settings.create_properties) await ensureProperties(hs);
  await checkPipelines(hs, ctx.settings);
  return ctx.settings;
}
