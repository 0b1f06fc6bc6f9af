import type { AccountOptions, FieldOption, Option } from '../contract';
import type { SalesforceContext } from './auth';
import { openSalesforce } from './client';
import { describer, type Describe, type SObjectName } from './fields';

/**
 * What the Salesforce settings form chooses from, read from the org's describe of Lead, Contact
 * and Opportunity (the same describe `prepareSettings` checks the settings against): the active
 * values of the Lead Status, Opportunity Stage and Lead Source picklists, and each object's fields
 * the API user may update. Salesforce has no deal pipelines: opportunity stages are a picklist.
 */

const objects: SObjectName[] = ['Lead', 'Contact', 'Opportunity'];

/** The picklists and the field each is read from. */
const picklistFields: Record<string, { object: SObjectName; field: string }> = {
  lead_status: { object: 'Lead', field: 'Status' },
  opportunity_stage: { object: 'Opportunity', field: 'StageName' },
  lead_source: { object: 'Lead', field: 'LeadSource' },
};

type DescribedField = Describe['fields'][number];

function fieldOption(f: DescribedField): FieldOption {
  return {
    key: f.name,
    name: f.label ?? f.name,
    type: f.type ?? 'string',
    custom: f.custom === true,
    // Salesforce refuses a new record without it: no null allowed and no default to fill it.
    required: f.createable === true && f.nillable === false && f.defaultedOnCreate !== true,
  };
}

/** Picklists and updateable fields of the org the credentials open. */
export async function describeOptions(ctx: SalesforceContext): Promise<AccountOptions> {
  const sf = await openSalesforce(ctx);
  const describe = await describer(sf);
  const described = new Map<SObjectName, Describe>();
  // One describe after another: each counts against the org's API allowance alike, and the first refreshes an expired token.
  for (const object of objects) described.set(object, await describe(object));

  const picklists: Record<string, Option[]> = {};
  for (const [list, { object, field }] of Object.entries(picklistFields)) {
    const values = described.get(object)?.fields.find((f) => f.name === field)?.picklistValues;
    if (values) picklists[list] = values.filter((v) => v.active !== false).map((v) => ({ value: v.value, label: v.label ?? v.value }));
  }
  const fields: Record<string, FieldOption[]> = {};
  for (const object of objects) {
    fields[object] = (described.get(object)?.fields ?? []).filter((f) => f.updateable === true && f.deprecatedAndHidden !== true).map(fieldOption);
  }
  return { pipelines: [], picklists, fields };
}
