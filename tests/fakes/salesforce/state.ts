import { fieldOf, type FieldValue, type SObjectRecord } from './soql';

/**
 * One fake Salesforce org: records of the objects the connector touches, their describe metadata
 * (standard fields plus the custom fields a test declares), OAuth clients and tokens, the daily
 * API allowance, and a hook that turns every record change into a Change Data Capture event for
 * the objects selected for CDC. Ids carry the real key prefixes (00Q Lead, 003 Contact, 006
 * Opportunity), 18 characters long; timestamps have Salesforce's second precision and format.
 */

export type ObjectName = 'Lead' | 'Contact' | 'Opportunity' | 'Organization';

export interface FieldDef {
  name: string;
  /** default: the API name in words (`LeadSource` → Lead Source, `Referral_Code__c` → Referral Code) */
  label?: string;
  type?: string;
  createable?: boolean;
  updateable?: boolean;
  /** default true; false for fields a record must have */
  nillable?: boolean;
  /** Salesforce fills it when a new record leaves it out */
  defaultedOnCreate?: boolean;
  picklistValues?: string[];
  /** values kept on old records but no longer offered (describe lists them with `active: false`) */
  inactivePicklistValues?: string[];
}

export interface ChangeEventInput {
  entityName: 'Lead' | 'Contact' | 'Opportunity';
  changeType: 'CREATE' | 'UPDATE' | 'DELETE' | 'UNDELETE';
  recordIds: string[];
  changedFields: string[];
  values: Record<string, FieldValue>;
  commitTimestamp: number;
}

export const LEAD_STATUSES = ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted', 'Closed - Not Converted'];
export const OPPORTUNITY_STAGES = ['Prospecting', 'Qualification', 'Negotiation/Review', 'Closed Won', 'Closed Lost'];

const prefixes: Record<ObjectName, string> = { Lead: '00Q', Contact: '003', Opportunity: '006', Organization: '00D' };
const readOnly = (name: string, type = 'string'): FieldDef => ({ name, type, createable: false, updateable: false, nillable: false, defaultedOnCreate: true });
const required = { nillable: false };
const standardFields: Record<ObjectName, FieldDef[]> = {
  Lead: [
    readOnly('Id', 'id'),
    { name: 'FirstName' },
    { name: 'LastName', ...required },
    { name: 'Email', type: 'email' },
    { name: 'Company', ...required },
    { name: 'LeadSource', type: 'picklist', picklistValues: ['Web', 'Referral', 'Partner', 'Other'] },
    { name: 'Status', type: 'picklist', picklistValues: LEAD_STATUSES, ...required, defaultedOnCreate: true },
    readOnly('IsConverted', 'boolean'),
    readOnly('ConvertedOpportunityId', 'reference'),
    readOnly('ConvertedContactId', 'reference'),
    readOnly('CreatedDate', 'datetime'),
    readOnly('SystemModstamp', 'datetime'),
  ],
  Contact: [readOnly('Id', 'id'), { name: 'FirstName' }, { name: 'LastName', ...required }, { name: 'Email', type: 'email' }, readOnly('CreatedDate', 'datetime'), readOnly('SystemModstamp', 'datetime')],
  Opportunity: [
    readOnly('Id', 'id'),
    { name: 'Name', label: 'Opportunity Name', ...required },
    { name: 'StageName', label: 'Stage', type: 'picklist', picklistValues: OPPORTUNITY_STAGES, ...required },
    { name: 'CloseDate', type: 'date', ...required },
    readOnly('CreatedDate', 'datetime'),
    readOnly('SystemModstamp', 'datetime'),
  ],
  Organization: [readOnly('Id', 'id'), readOnly('Name')],
};

/** `2026-05-01T10:00:00.000+0000`, as Salesforce writes datetimes. */
export function salesforceDateTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}.000+0000`;
}

export class SaveFailure extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
    readonly fields: string[] = [],
  ) {
    super(message);
  }
}

export class SalesforceOrg {
  readonly orgId = '00D5g00000FAKEORGQ';
  readonly userId = '0055g00000FAKEUSRQ';
  readonly username = 'admin@acme.example';
  orgName = 'Acme Referrals';
  private counter = 0;
  readonly records: Record<ObjectName, Map<string, SObjectRecord>> = { Lead: new Map(), Contact: new Map(), Opportunity: new Map(), Organization: new Map() };
  readonly fields: Record<ObjectName, FieldDef[]>;
  /** objects selected for Change Data Capture in "Setup" */
  readonly cdcEnabled = new Set<'Lead' | 'Contact' | 'Opportunity'>(['Lead', 'Opportunity']);
  /** Sforce-Limit-Info: api-usage=used/limit */
  readonly apiUsage = { used: 0, limit: 100_000 };
  /** set by the CometD endpoint: publishes change events */
  onChange: ((event: ChangeEventInput) => void) | null = null;
  now: () => number = () => Date.now();

  constructor(customFields: Partial<Record<'Lead' | 'Contact' | 'Opportunity', string[]>> = {}) {
    this.fields = {
      Lead: [...standardFields.Lead, ...(customFields.Lead ?? []).map((name) => ({ name }))],
      Contact: [...standardFields.Contact, ...(customFields.Contact ?? []).map((name) => ({ name }))],
      Opportunity: [...standardFields.Opportunity, ...(customFields.Opportunity ?? []).map((name) => ({ name }))],
      Organization: standardFields.Organization,
    };
    this.records.Organization.set(this.orgId, { Id: this.orgId, Name: this.orgName });
  }

  newId(object: ObjectName): string {
    this.counter++;
    return `${prefixes[object]}5g00000${this.counter.toString(36).toUpperCase().padStart(5, '0')}AAA`.slice(0, 18);
  }

  objectOfId(id: string): ObjectName | null {
    return (Object.keys(prefixes) as ObjectName[]).find((o) => id.startsWith(prefixes[o])) ?? null;
  }

  hasField(object: ObjectName, name: string): FieldDef | undefined {
    return this.fields[object].find((f) => f.name.toLowerCase() === name.toLowerCase());
  }

  private checkFields(object: ObjectName, values: Record<string, FieldValue>, mode: 'create' | 'update'): void {
    for (const name of Object.keys(values)) {
      const def = this.hasField(object, name);
      if (!def) throw new SaveFailure('INVALID_FIELD', `No such column '${name}' on sobject of type ${object}`, [name]);
      if ((mode === 'create' ? def.createable : def.updateable) === false) throw new SaveFailure('INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${name}.`, [name]);
      if (def.picklistValues && values[name] !== null && !def.picklistValues.includes(String(values[name]))) {
        throw new SaveFailure('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${name}: bad value for restricted picklist field: ${String(values[name])}`, [name]);
      }
    }
  }

  create(object: 'Lead' | 'Contact' | 'Opportunity', values: Record<string, FieldValue>, opts: { system?: boolean } = {}): SObjectRecord {
    if (!opts.system) this.checkFields(object, values, 'create');
    const required = object === 'Lead' ? ['LastName', 'Company'] : object === 'Contact' ? ['LastName'] : ['Name', 'StageName', 'CloseDate'];
    const missing = required.filter((f) => values[f] === undefined || values[f] === null || values[f] === '');
    if (missing.length > 0) throw new SaveFailure('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing);
    const at = this.now();
    const record: SObjectRecord = {
      Id: this.newId(object),
      ...(object === 'Lead' ? { Status: 'Open - Not Contacted', IsConverted: false, ConvertedOpportunityId: null, ConvertedContactId: null } : {}),
      ...values,
      CreatedDate: salesforceDateTime(at),
      SystemModstamp: salesforceDateTime(at),
    };
    this.records[object].set(String(record.Id), record);
    this.emit(object, 'CREATE', String(record.Id), Object.keys(values), record, at);
    return record;
  }

  update(object: 'Lead' | 'Contact' | 'Opportunity', id: string, values: Record<string, FieldValue>, opts: { system?: boolean } = {}): SObjectRecord {
    const record = this.records[object].get(id);
    if (!record) throw new SaveFailure('ENTITY_IS_DELETED', 'entity is deleted');
    if (!opts.system) {
      this.checkFields(object, values, 'update');
      if (record.IsConverted === true) throw new SaveFailure('CANNOT_UPDATE_CONVERTED_LEAD', 'cannot reference converted lead');
    }
    const changed = Object.keys(values).filter((k) => fieldOf(record, k) !== values[k]);
    const at = this.now();
    Object.assign(record, values, { SystemModstamp: salesforceDateTime(at) });
    if (changed.length > 0) this.emit(object, 'UPDATE', id, changed, Object.fromEntries(changed.map((k) => [k, values[k]])), at);
    return record;
  }

  /** What a person does in Salesforce: move a Lead to a status. */
  setLeadStatus(id: string, status: string): void {
    this.update('Lead', id, { Status: status });
  }

  /** Convert a Lead: a Contact and an Opportunity are made, and the Lead points at them. */
  convertLead(id: string, stage = 'Prospecting'): { opportunityId: string; contactId: string } {
    const lead = this.records.Lead.get(id);
    if (!lead) throw new Error(`no lead ${id}`);
    const contact = this.create('Contact', { FirstName: lead.FirstName ?? null, LastName: lead.LastName ?? null, Email: lead.Email ?? null }, { system: true });
    const opportunity = this.create('Opportunity', { Name: `${String(lead.Company)} -`, StageName: stage, CloseDate: '2026-12-31' }, { system: true });
    this.update('Lead', id, { IsConverted: true, Status: 'Closed - Converted', ConvertedOpportunityId: String(opportunity.Id), ConvertedContactId: String(contact.Id) }, { system: true });
    return { opportunityId: String(opportunity.Id), contactId: String(contact.Id) };
  }

  setOpportunityStage(id: string, stage: string): void {
    this.update('Opportunity', id, { StageName: stage });
  }

  private emit(object: 'Lead' | 'Contact' | 'Opportunity', changeType: 'CREATE' | 'UPDATE', id: string, changedFields: string[], values: Record<string, FieldValue>, at: number): void {
    if (!this.cdcEnabled.has(object) || !this.onChange) return;
    const body = Object.fromEntries(Object.entries(values).filter(([k]) => !['Id', 'CreatedDate', 'SystemModstamp'].includes(k)));
    // UPDATE events list the changed fields (LastModifiedDate among them) and carry only their values.
    this.onChange({ entityName: object, changeType, recordIds: [id], changedFields: changeType === 'UPDATE' ? [...changedFields, 'LastModifiedDate'] : [], values: body, commitTimestamp: at });
  }
}
