import { defaultContactProperties, type HubSpotProperty } from './properties';

/**
 * The HubSpot fake's account: contacts, deals, their associations, contact properties and groups,
 * deal pipelines and lists, as HubSpot keeps them (string property values, ISO timestamps,
 * `lastmodifieddate` / `hs_lastmodifieddate` moved on every write).
 */

/** The default pipeline's stages (id → label), in order. */
const defaultDealStages = {
  appointmentscheduled: 'Appointment Scheduled',
  qualifiedtobuy: 'Qualified To Buy',
  presentationscheduled: 'Presentation Scheduled',
  decisionmakerboughtin: 'Decision Maker Bought-In',
  contractsent: 'Contract Sent',
  closedwon: 'Closed Won',
  closedlost: 'Closed Lost',
};

/** A deal pipeline as `GET /crm/v3/pipelines/deals` lists it. */
export interface DealPipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  stages: Array<{ id: string; label: string; displayOrder: number; archived: boolean; metadata: Record<string, string>; createdAt: string; updatedAt: string }>;
}

export interface CrmRecord {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export class HubSpotStore {
  portalId = 62515;
  contacts = new Map<string, CrmRecord>();
  deals = new Map<string, CrmRecord>();
  /** deal id → contact ids */
  dealContacts = new Map<string, Set<string>>();
  groups = [{ name: 'contactinformation', label: 'Contact information', displayOrder: 0, archived: false }];
  /** contact properties (see properties.ts for their shape and the defaults) */
  properties: HubSpotProperty[] = defaultContactProperties();
  pipelines: DealPipeline[] = [
    {
      id: 'default',
      label: 'Sales Pipeline',
      displayOrder: 0,
      archived: false,
      createdAt: new Date(0).toISOString(),
      updatedAt: new Date(0).toISOString(),
      stages: Object.entries(defaultDealStages).map(([id, label], i) => ({
        id,
        label,
        displayOrder: i,
        archived: false,
        metadata: { isClosed: String(id.startsWith('closed')), probability: id === 'closedwon' ? '1.0' : '0.2' },
        createdAt: new Date(0).toISOString(),
        updatedAt: new Date(0).toISOString(),
      })),
    },
  ];
  /** list id → member contact ids (set directly, or through `addToList` to date each addition) */
  lists = new Map<string, string[]>();
  /** `listId/recordId` → when the record was added */
  private listAdded = new Map<string, string>();
  private nextId = 1001;
  /** moves forward on every write, so two writes in one millisecond still order */
  private lastStamp = 0;

  private stamp(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }

  newId(): string {
    return String(this.nextId++);
  }

  findContactByEmail(email: string): CrmRecord | undefined {
    const key = email.trim().toLowerCase();
    for (const c of this.contacts.values()) if (c.properties.email?.toLowerCase() === key) return c;
    return undefined;
  }

  /** Create or update a contact's properties (HubSpot moves lastmodifieddate on every write). */
  writeContact(id: string | null, properties: Record<string, string>): { record: CrmRecord; created: boolean } {
    const now = this.stamp();
    const existing = id ? this.contacts.get(id) : undefined;
    if (existing) {
      Object.assign(existing.properties, properties, { lastmodifieddate: now });
      existing.updatedAt = now;
      return { record: existing, created: false };
    }
    const newId = this.newId();
    const record: CrmRecord = {
      id: newId,
      properties: { lifecyclestage: 'lead', ...properties, hs_object_id: newId, createdate: now, lastmodifieddate: now },
      createdAt: now,
      updatedAt: now,
    };
    this.contacts.set(newId, record);
    return { record, created: true };
  }

  writeDeal(id: string | null, properties: Record<string, string>, contactIds: string[] = []): CrmRecord {
    const now = this.stamp();
    const existing = id ? this.deals.get(id) : undefined;
    if (existing) {
      Object.assign(existing.properties, properties, { hs_lastmodifieddate: now });
      existing.updatedAt = now;
      return existing;
    }
    const newId = this.newId();
    const record: CrmRecord = { id: newId, properties: { ...properties, hs_object_id: newId, createdate: now, hs_lastmodifieddate: now }, createdAt: now, updatedAt: now };
    this.deals.set(newId, record);
    this.dealContacts.set(newId, new Set(contactIds));
    return record;
  }

  /** Add contacts to a list (creating it), as HubSpot does when a static list is edited or an active list recalculated. */
  addToList(listId: string, contactIds: string[]): void {
    const members = this.lists.get(listId) ?? [];
    const now = this.stamp();
    for (const id of contactIds) {
      if (members.includes(id)) continue;
      members.push(id);
      this.listAdded.set(`${listId}/${id}`, now);
    }
    this.lists.set(listId, members);
  }

  /** When a record was added to a list: as dated by `addToList`, else when the record was created. */
  listAddedAt(listId: string, recordId: string): string {
    return this.listAdded.get(`${listId}/${recordId}`) ?? this.contacts.get(recordId)?.createdAt ?? new Date(0).toISOString();
  }

  /** Deals associated with a contact. */
  dealsOf(contactId: string): string[] {
    return [...this.dealContacts.entries()].filter(([, contacts]) => contacts.has(contactId)).map(([dealId]) => dealId);
  }

  /** Many contacts at once (sync and bench fixtures), without a write each. */
  seedContacts(count: number, make: (i: number) => Record<string, string>): string[] {
    const ids: string[] = [];
    const now = this.stamp();
    for (let i = 0; i < count; i++) {
      const id = this.newId();
      this.contacts.set(id, { id, properties: { lifecyclestage: 'subscriber', ...make(i), hs_object_id: id, createdate: now, lastmodifieddate: now }, createdAt: now, updatedAt: now });
      ids.push(id);
    }
    return ids;
  }
}

/** A record as the v3 objects API shows it, with only the asked properties (and the id). */
export function view(record: CrmRecord, properties: string[] | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const shown: Record<string, string> = {};
  const names = properties ?? Object.keys(record.properties);
  for (const name of [...names, 'hs_object_id']) if (record.properties[name] !== undefined) shown[name] = record.properties[name];
  return { id: record.id, properties: shown, createdAt: record.createdAt, updatedAt: record.updatedAt, archived: false, ...extra };
}
