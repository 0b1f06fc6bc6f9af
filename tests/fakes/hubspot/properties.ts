import { z } from 'zod';
import type { FakeReply, FakeRequest, RouteTable } from '../toolkit';
import type { HubSpotStore } from './store';

/**
 * Contact properties and deal pipelines as HubSpot's CRM v3 properties and pipelines APIs show
 * them: each property with its type, field type, options (for enumerations), whether HubSpot
 * defines it and whether its value is read-only; the default lifecycle stages and lead statuses.
 */
// https://developers.hubspot.com/docs/api/crm/properties · https://developers.hubspot.com/docs/api/crm/pipelines

export interface PropertyOption {
  label: string;
  value: string;
  description: string;
  displayOrder: number;
  hidden: boolean;
}

export interface HubSpotProperty {
  name: string;
  label: string;
  type: string;
  fieldType: string;
  description: string;
  groupName: string;
  options: PropertyOption[];
  displayOrder: number;
  calculated: boolean;
  externalOptions: boolean;
  hasUniqueValue: boolean;
  hidden: boolean;
  hubspotDefined: boolean;
  formField: boolean;
  archived: boolean;
  modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
  createdAt: string;
  updatedAt: string;
}

const epoch = new Date(0).toISOString();

/** A property in HubSpot's answer shape; custom (account-made) unless `hubspotDefined` is set. */
export function property(input: { name: string; label?: string; type?: string; fieldType?: string; groupName?: string; options?: Array<[string, string] | PropertyOption> } & Partial<Pick<HubSpotProperty, 'calculated' | 'hidden' | 'hubspotDefined' | 'archived'>> & { readOnlyValue?: boolean }): HubSpotProperty {
  const hubspotDefined = input.hubspotDefined ?? false;
  return {
    name: input.name,
    label: input.label ?? input.name,
    type: input.type ?? 'string',
    fieldType: input.fieldType ?? 'text',
    description: '',
    groupName: input.groupName ?? 'contactinformation',
    options: (input.options ?? []).map((o, i) => (Array.isArray(o) ? { value: o[0], label: o[1], description: '', displayOrder: i, hidden: false } : o)),
    displayOrder: -1,
    calculated: input.calculated ?? false,
    externalOptions: false,
    hasUniqueValue: false,
    hidden: input.hidden ?? false,
    hubspotDefined,
    formField: true,
    archived: input.archived ?? false,
    modificationMetadata: { archivable: !hubspotDefined, readOnlyDefinition: hubspotDefined, readOnlyValue: input.readOnlyValue ?? false },
    createdAt: epoch,
    updatedAt: epoch,
  };
}

/** HubSpot's default lifecycle stages, in their order. */
// https://knowledge.hubspot.com/records/use-lifecycle-stages
export const defaultLifecycleStages: Array<[string, string]> = [
  ['subscriber', 'Subscriber'],
  ['lead', 'Lead'],
  ['marketingqualifiedlead', 'Marketing Qualified Lead'],
  ['salesqualifiedlead', 'Sales Qualified Lead'],
  ['opportunity', 'Opportunity'],
  ['customer', 'Customer'],
  ['evangelist', 'Evangelist'],
  ['other', 'Other'],
];

/** HubSpot's default lead statuses. */
export const defaultLeadStatuses: Array<[string, string]> = [
  ['NEW', 'New'],
  ['OPEN', 'Open'],
  ['IN_PROGRESS', 'In Progress'],
  ['OPEN_DEAL', 'Open Deal'],
  ['UNQUALIFIED', 'Unqualified'],
  ['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
  ['CONNECTED', 'Connected'],
  ['BAD_TIMING', 'Bad Timing'],
];

/** The built-in contact properties a fresh portal has (the ones the tests touch). */
export function defaultContactProperties(): HubSpotProperty[] {
  const builtIn = { hubspotDefined: true };
  return [
    property({ ...builtIn, name: 'email', label: 'Email' }),
    property({ ...builtIn, name: 'firstname', label: 'First Name' }),
    property({ ...builtIn, name: 'lastname', label: 'Last Name' }),
    property({ ...builtIn, name: 'lifecyclestage', label: 'Lifecycle Stage', type: 'enumeration', fieldType: 'radio', options: defaultLifecycleStages }),
    property({ ...builtIn, name: 'hs_lead_status', label: 'Lead Status', type: 'enumeration', fieldType: 'radio', options: defaultLeadStatuses }),
    property({ ...builtIn, name: 'lastmodifieddate', label: 'Last Modified Date', type: 'datetime', fieldType: 'date', readOnlyValue: true }),
    property({ ...builtIn, name: 'createdate', label: 'Create Date', type: 'datetime', fieldType: 'date' }),
    property({ ...builtIn, name: 'hs_object_id', label: 'Record ID', type: 'number', fieldType: 'number', readOnlyValue: true }),
    property({ ...builtIn, name: 'num_associated_deals', label: 'Number of Associated Deals', type: 'number', fieldType: 'number', calculated: true, readOnlyValue: true }),
  ];
}

const groupInput = z.object({ name: z.string(), label: z.string(), displayOrder: z.number().optional() });
const propertyInput = z.object({ name: z.string(), label: z.string(), type: z.string(), fieldType: z.string(), groupName: z.string() });

/** The properties and pipelines routes; `authed` checks the bearer token like every other route. */
export function propertyRoutes(store: HubSpotStore, authed: (handler: (req: FakeRequest) => FakeReply) => (req: FakeRequest) => FakeReply | Promise<FakeReply>): RouteTable {
  return {
    'GET /crm/v3/properties/contacts/groups': authed(() => ({ body: { results: store.groups } })),
    'POST /crm/v3/properties/contacts/groups': authed((req) => {
      const g = groupInput.parse(req.body);
      if (store.groups.some((x) => x.name === g.name)) return { status: 409, body: { status: 'error', message: `group ${g.name} already exists`, category: 'OBJECT_ALREADY_EXISTS' } };
      const group = { name: g.name, label: g.label, displayOrder: g.displayOrder ?? -1, archived: false };
      store.groups.push(group);
      return { status: 201, body: group };
    }),
    // `archived=true` lists only archived properties, otherwise only live ones.
    'GET /crm/v3/properties/contacts': authed((req) => ({ body: { results: store.properties.filter((p) => p.archived === (req.query.archived === 'true')) } })),
    'GET /crm/v3/properties/contacts/:name': authed((req) => {
      const found = store.properties.find((p) => p.name === req.params.name && !p.archived);
      return found ? { body: found } : { status: 404, body: { status: 'error', message: `Unable to find property ${req.params.name}`, category: 'OBJECT_NOT_FOUND' } };
    }),
    'POST /crm/v3/properties/contacts/batch/create': authed((req) => {
      const made = z.object({ inputs: z.array(propertyInput) }).parse(req.body).inputs.map((i) => property(i));
      for (const p of made) store.properties.push(p);
      const stamp = new Date().toISOString();
      return { status: 201, body: { status: 'COMPLETE', results: made, requestedAt: stamp, startedAt: stamp, completedAt: stamp } };
    }),
    'GET /crm/v3/pipelines/deals': authed(() => ({ body: { results: store.pipelines } })),
  };
}
