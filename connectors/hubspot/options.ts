import type { AccountOptions, FieldOption, Option } from '../contract';
import { openHubSpot, type HubSpotContext } from './client';
import { listContactProperties, listDealPipelines, type ContactProperty } from './properties';

/**
 * What the HubSpot settings form chooses from: the deal pipelines with their stages, the
 * account's own lifecycle stages (custom ones included) and lead statuses, and the contact
 * properties a record may be written with. Two calls: the pipelines, and every contact property
 * (which carries the options of both picklists).
 */

/** The picklists and the contact property each is read from. */
const picklistProperties = { lifecycle_stage: 'lifecyclestage', lead_status: 'hs_lead_status' } as const;

const byDisplayOrder = (a: { displayOrder?: number }, b: { displayOrder?: number }) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0);

function picklist(property: ContactProperty): Option[] {
  return (property.options ?? [])
    .filter((o) => o.hidden !== true)
    .sort(byDisplayOrder)
    .map((o) => ({ value: o.value, label: o.label }));
}

/** Properties a write may set: not computed by HubSpot, not read-only, not hidden or archived. */
function writable(property: ContactProperty): boolean {
  return property.modificationMetadata?.readOnlyValue !== true && property.calculated !== true && property.hidden !== true && property.archived !== true;
}

function fieldOption(property: ContactProperty): FieldOption {
  // HubSpot requires no contact property on create (we upsert by email, which we always send).
  return { key: property.name, name: property.label, type: property.type, custom: property.hubspotDefined !== true, required: false };
}

/** Pipelines, picklists and writable contact properties of the HubSpot account the credentials open. */
export async function describeOptions(ctx: HubSpotContext): Promise<AccountOptions> {
  const hs = await openHubSpot(ctx);
  const pipelines = await listDealPipelines(hs);
  const properties = await listContactProperties(hs);
  const picklists: Record<string, Option[]> = {};
  for (const [list, name] of Object.entries(picklistProperties)) {
    const property = properties.find((p) => p.name === name);
    if (property) picklists[list] = picklist(property);
  }
  return {
    pipelines: pipelines
      .filter((p) => p.archived !== true)
      .sort(byDisplayOrder)
      .map((p) => ({
        id: p.id,
        name: p.label,
        stages: p.stages
          .filter((s) => s.archived !== true)
          .sort(byDisplayOrder)
          .map((s) => ({ id: s.id, name: s.label })),
      })),
    picklists,
    fields: { contact: properties.filter(writable).map(fieldOption) },
  };
}
