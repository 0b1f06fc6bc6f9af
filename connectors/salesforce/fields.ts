import { z } from 'zod';
import { SettingsError } from '../contract';
import type { SalesforceContext } from './auth';
import { openSalesforce, type Salesforce } from './client';
import { ruleScopes, type SalesforceSettings } from './settings';

/**
 * Settings checked against the org before they are saved: every field the settings name exists on
 * the object it is written to or read from (Lead, Contact, Opportunity) and can be written where we
 * write it; the qualifying Lead status and Opportunity stages are values of their picklists. A
 * miss is a SettingsError naming the settings field, the Salesforce field and the object.
 */

const describeSchema = z.object({
  name: z.string(),
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string().optional(),
      type: z.string().optional(),
      custom: z.boolean().optional(),
      createable: z.boolean().optional(),
      updateable: z.boolean().optional(),
      nillable: z.boolean().optional(),
      defaultedOnCreate: z.boolean().optional(),
      deprecatedAndHidden: z.boolean().optional(),
      picklistValues: z.array(z.object({ value: z.string(), label: z.string().nullable().optional(), active: z.boolean().optional() })).optional(),
    }),
  ),
});
/** An object's describe: its fields, their access and picklist values. */
export type Describe = z.infer<typeof describeSchema>;
export type SObjectName = 'Lead' | 'Contact' | 'Opportunity';

/** Describe each object once. */
export async function describer(sf: Salesforce): Promise<(object: SObjectName) => Promise<Describe>> {
  const cache = new Map<SObjectName, Promise<Describe>>();
  return (object) => {
    let pending = cache.get(object);
    if (!pending) {
      // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_describe.htm (GET /services/data/vXX.X/sobjects/Lead/describe)
      pending = sf.run((c) => c.sobject(object).describe()).then((d) => describeSchema.parse(d));
      cache.set(object, pending);
    }
    return pending;
  };
}

interface FieldUse {
  path: string;
  field: string;
  objects: SObjectName[];
  /** written by pushes (create) or syncs (update); only read when absent */
  writes?: 'create' | 'update';
}

/** Which fields the settings use, on which objects. */
function fieldUses(settings: SalesforceSettings): FieldUse[] {
  const pushed: SObjectName = settings.push_as === 'lead' ? 'Lead' : 'Contact';
  const withSync = (objects: SObjectName[]): SObjectName[] => [...new Set([...objects, settings.sync_object])];
  const uses: FieldUse[] = [];
  if (settings.referral_code_field) uses.push({ path: 'referral_code_field', field: settings.referral_code_field, objects: withSync([pushed]), writes: 'create' });
  if (settings.referral_link_field) uses.push({ path: 'referral_link_field', field: settings.referral_link_field, objects: withSync([pushed]), writes: 'create' });
  if (settings.referred_by_field) uses.push({ path: 'referred_by_field', field: settings.referred_by_field, objects: [pushed], writes: 'create' });
  if (settings.opportunity_referral_code_field) uses.push({ path: 'opportunity_referral_code_field', field: settings.opportunity_referral_code_field, objects: ['Opportunity'] });
  for (const field of Object.keys(settings.extra_fields)) uses.push({ path: `extra_fields.${field}`, field, objects: [pushed], writes: 'create' });
  return uses;
}

export async function prepareSettings(ctx: SalesforceContext): Promise<SalesforceSettings> {
  const settings = ctx.settings;
  const sf = await openSalesforce(ctx);
  const describe = await describer(sf);
  const errors: Array<{ path: string; message: string }> = [];

  for (const use of fieldUses(settings)) {
    for (const object of use.objects) {
      const found = (await describe(object)).fields.find((f) => f.name.toLowerCase() === use.field.toLowerCase());
      if (!found) {
        errors.push({ path: use.path, message: `field ${use.field} does not exist on the Salesforce ${object} object (create it in Setup → Object Manager → ${object} → Fields, or change the setting)` });
        break;
      }
      // Pushes create records with it; a sync's link write-back updates the synced ones.
      const pushedHere = use.writes === 'create' && object === (settings.push_as === 'lead' ? 'Lead' : 'Contact');
      const syncedHere = use.writes !== undefined && object === settings.sync_object && use.path.startsWith('referral_');
      if ((pushedHere && found.createable === false) || (syncedHere && found.updateable === false)) {
        errors.push({ path: use.path, message: `field ${use.field} on the Salesforce ${object} object is read-only for this user` });
      }
    }
  }

  const picklist = async (object: SObjectName, field: string) =>
    (await describe(object)).fields.find((f) => f.name === field)?.picklistValues?.filter((v) => v.active !== false).map((v) => v.value) ?? null;
  for (const { campaignId, rules } of ruleScopes(settings)) {
    const at = (key: string) => (campaignId === null ? key : `campaigns.${campaignId}.${key}`);
    const checks: Array<[string, SObjectName, string, string | null]> = [
      ['qualified_lead_status', 'Lead', 'Status', rules.qualified_lead_status],
      ['qualified_opportunity_stage', 'Opportunity', 'StageName', rules.qualified_opportunity_stage],
      ['unqualified_opportunity_stage', 'Opportunity', 'StageName', rules.unqualified_opportunity_stage],
    ];
    for (const [key, object, field, value] of checks) {
      if (value === null) continue;
      const values = await picklist(object, field);
      if (values && !values.includes(value)) errors.push({ path: at(key), message: `'${value}' is not a ${object} ${field} value in this org (values: ${values.join(', ')})` });
    }
  }
  if (errors.length > 0) throw new SettingsError(errors);
  return settings;
}
