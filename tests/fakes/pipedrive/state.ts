import { randomUUID } from 'node:crypto';

/**
 * What the fake Pipedrive company holds, and how each record looks in Pipedrive's API answers
 * (v2: numeric ids, `custom_fields` object, ISO times; v1 leads: UUID ids, custom fields at the top).
 */

export interface FakePerson {
  id: number;
  name: string;
  first_name: string | null;
  last_name: string | null;
  emails: Array<{ value: string; primary: boolean; label: string }>;
  custom_fields: Record<string, string | null>;
  add_time: string;
  update_time: string;
}

export interface FakeDeal {
  id: number;
  title: string;
  person_id: number | null;
  pipeline_id: number;
  stage_id: number;
  status: 'open' | 'won' | 'lost';
  custom_fields: Record<string, string | null>;
  source_lead_id: string | null;
  add_time: string;
  update_time: string;
}

export interface FakeLead {
  id: string;
  title: string;
  person_id: number | null;
  custom_fields: Record<string, string | null>;
  is_archived: boolean;
  add_time: string;
  update_time: string;
}

export interface FakeField {
  id: number;
  key: string;
  name: string;
  field_type: string;
  edit_flag: boolean;
  /** `active_flag` as Pipedrive answers it (default true) */
  active_flag?: boolean;
}

export interface FakeWebhook {
  id: number;
  name: string;
  subscription_url: string;
  event_action: string;
  event_object: string;
  version: string;
  http_auth_user: string | null;
  http_auth_password: string | null;
  is_active: boolean;
  add_time: string;
}

export interface FakeStage {
  id: number;
  pipeline_id: number;
  order_nr: number;
  name: string;
}

export interface PipedriveState {
  company: { id: number; name: string; domain: string };
  user: { id: number; name: string; email: string };
  /** the API token the fake accepts (x-api-token) */
  apiToken: string;
  /** OAuth access tokens the fake accepts (Authorization: Bearer) */
  accessTokens: Set<string>;
  persons: Map<number, FakePerson>;
  deals: Map<number, FakeDeal>;
  leads: Map<string, FakeLead>;
  personFields: FakeField[];
  dealFields: FakeField[];
  /** `order_nr` is their place in Pipedrive's list (default: as listed here) */
  pipelines: Array<{ id: number; name: string; order_nr?: number }>;
  stages: FakeStage[];
  webhooks: Map<number, FakeWebhook>;
  /** saved person filters (filter_id → which persons it keeps) */
  filters: Map<number, (p: FakePerson) => boolean>;
  nextId: number;
}

export const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** 40 hex characters, like Pipedrive's custom field keys. */
export function fieldKey(): string {
  return randomUUID().replace(/-/g, '') + randomUUID().replace(/-/g, '').slice(0, 8);
}

const builtIns = (names: Array<[string, string, string]>): FakeField[] => names.map(([key, name, field_type], i) => ({ id: i + 1, key, name, field_type, edit_flag: false }));

export function initialState(): PipedriveState {
  return {
    company: { id: 7654321, name: 'Acme Sales', domain: 'acme-sales' },
    user: { id: 111, name: 'Ada Admin', email: 'ada@acme.example' },
    apiToken: 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0',
    accessTokens: new Set(),
    persons: new Map(),
    deals: new Map(),
    leads: new Map(),
    personFields: builtIns([
      ['name', 'Name', 'varchar'],
      ['first_name', 'First name', 'varchar'],
      ['last_name', 'Last name', 'varchar'],
      ['email', 'Email', 'varchar'],
      ['phone', 'Phone', 'phone'],
      ['org_id', 'Organization', 'org'],
    ]),
    dealFields: builtIns([
      ['title', 'Title', 'varchar'],
      ['value', 'Value', 'monetary'],
      ['stage_id', 'Stage', 'stage'],
      ['status', 'Status', 'status'],
      ['person_id', 'Contact person', 'people'],
    ]),
    pipelines: [
      { id: 1, name: 'Sales' },
      { id: 2, name: 'Referrals' },
    ],
    stages: [
      { id: 1, pipeline_id: 1, order_nr: 1, name: 'Qualified lead' },
      { id: 2, pipeline_id: 1, order_nr: 2, name: 'Proposal' },
      { id: 3, pipeline_id: 1, order_nr: 3, name: 'Negotiation' },
      { id: 11, pipeline_id: 2, order_nr: 1, name: 'New referral' },
      { id: 12, pipeline_id: 2, order_nr: 2, name: 'Demo booked' },
      { id: 13, pipeline_id: 2, order_nr: 3, name: 'Customer' },
    ],
    webhooks: new Map(),
    filters: new Map(),
    nextId: 1000,
  };
}

/** A person as API v2 answers it. */
export function personV2(p: FakePerson) {
  return { id: p.id, name: p.name, first_name: p.first_name, last_name: p.last_name, owner_id: 111, org_id: null, add_time: p.add_time, update_time: p.update_time, emails: p.emails, phones: [], is_deleted: false, visible_to: 3, label_ids: [], picture_id: null, custom_fields: { ...p.custom_fields } };
}

/** A deal as API v2 answers it. */
export function dealV2(d: FakeDeal) {
  return {
    id: d.id,
    title: d.title,
    owner_id: 111,
    person_id: d.person_id,
    org_id: null,
    pipeline_id: d.pipeline_id,
    stage_id: d.stage_id,
    value: 0,
    currency: 'USD',
    add_time: d.add_time,
    update_time: d.update_time,
    stage_change_time: null,
    is_deleted: false,
    is_archived: false,
    status: d.status,
    probability: null,
    lost_reason: null,
    visible_to: 3,
    close_time: null,
    won_time: d.status === 'won' ? d.update_time : null,
    lost_time: d.status === 'lost' ? d.update_time : null,
    expected_close_date: null,
    label_ids: [],
    origin: d.source_lead_id ? 'Lead' : 'API',
    origin_id: null,
    custom_fields: { ...d.custom_fields },
  };
}

/** A lead as API v1 answers it: custom (deal) fields at the top level, only those set. */
export function leadV1(l: FakeLead) {
  const custom = Object.fromEntries(Object.entries(l.custom_fields).filter(([, v]) => v !== null));
  return {
    id: l.id,
    title: l.title,
    owner_id: 111,
    creator_id: 111,
    label_ids: [],
    person_id: l.person_id,
    organization_id: null,
    source_name: 'API',
    origin: 'API',
    origin_id: null,
    channel: null,
    channel_id: null,
    is_archived: l.is_archived,
    was_seen: false,
    value: null,
    expected_close_date: null,
    next_activity_id: null,
    add_time: l.add_time,
    update_time: l.update_time,
    visible_to: '3',
    cc_email: `acme-sales+lead${l.id.slice(0, 8)}@pipedrivemail.com`,
    ...custom,
  };
}

/** A webhook as the v1 webhooks API answers it. */
export function webhookV1(w: FakeWebhook, state: PipedriveState) {
  return {
    id: w.id,
    company_id: state.company.id,
    owner_id: state.user.id,
    user_id: state.user.id,
    event_action: w.event_action,
    event_object: w.event_object,
    subscription_url: w.subscription_url,
    is_active: w.is_active ? 1 : 0,
    add_time: w.add_time,
    remove_time: null,
    type: 'general',
    http_auth_user: w.http_auth_user,
    http_auth_password: w.http_auth_password ? '******' : null,
    additional_data: [],
    remove_reason: null,
    last_delivery_time: null,
    last_http_status: null,
    admin_id: state.user.id,
    version: w.version,
    name: w.name,
  };
}
