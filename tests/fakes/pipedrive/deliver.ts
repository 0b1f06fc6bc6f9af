import { randomUUID } from 'node:crypto';
import { basicAuthHeader } from '../toolkit';
import { dealV2, personV2, type FakeDeal, type FakePerson, type FakeWebhook, type PipedriveState } from './state';

/**
 * Webhook deliveries as Pipedrive sends them. v2: `meta` with string ids and an ISO timestamp,
 * `data` (custom fields as `{type, value}`), `previous` holding only the fields that changed
 * (null on create). v1: `event: "updated.deal"`, `current` and `previous` whole objects, custom
 * fields at the top level.
 */
// https://pipedrive.readme.io/docs/guide-for-webhooks-v2 · https://pipedrive.readme.io/docs/webhooks-v2-migration-guide

export interface Delivery {
  hook_id: number;
  url: string;
  /** what our hub answered */
  status: number;
  response: unknown;
  /** the exact body sent, to replay it */
  body: string;
  headers: Record<string, string>;
}

export type Entity = 'deal' | 'person' | 'lead';

const wrapCustom = (custom: Record<string, string | null>) => Object.fromEntries(Object.entries(custom).map(([k, value]) => [k, { type: 'varchar', value }]));

/** The `data` of a v2 payload for a record. */
export function v2Data(entity: Entity, record: FakeDeal | FakePerson): Record<string, unknown> {
  if (entity === 'deal' && 'stage_id' in record) {
    const { custom_fields, ...rest } = dealV2(record);
    return { ...rest, custom_fields: wrapCustom(custom_fields) };
  }
  if ('emails' in record) {
    const { custom_fields, ...rest } = personV2(record);
    return { ...rest, custom_fields: wrapCustom(custom_fields) };
  }
  throw new Error(`no v2 data for ${entity}`);
}

export interface V2Options {
  /** meta.id: the same id is a replay */
  id?: string;
  /** meta.timestamp (ISO) */
  timestamp?: string;
}

export function v2Payload(state: PipedriveState, hook: Pick<FakeWebhook, 'id'>, entity: Entity, action: 'create' | 'change' | 'delete', data: Record<string, unknown>, previous: Record<string, unknown> | null, opts: V2Options = {}) {
  return {
    data,
    previous,
    meta: {
      action,
      company_id: String(state.company.id),
      correlation_id: randomUUID(),
      entity_id: String(data.id),
      entity,
      id: opts.id ?? randomUUID(),
      is_bulk_edit: false,
      timestamp: opts.timestamp ?? new Date().toISOString(),
      type: 'general',
      user_id: String(state.user.id),
      version: '2.0',
      webhook_id: String(hook.id),
      webhook_owner_id: String(state.user.id),
      change_source: 'app',
      permitted_user_ids: [String(state.user.id)],
      attempt: 1,
      host: `${state.company.domain}.pipedrive.com`,
    },
  };
}

/** A v1 `updated.deal` payload, as a webhook a user made by hand (version 1.0) sends it. */
export function v1DealUpdate(state: PipedriveState, hook: Pick<FakeWebhook, 'id'>, before: FakeDeal, after: FakeDeal, at = new Date()) {
  const flat = (d: FakeDeal) => {
    const { custom_fields, ...rest } = dealV2(d);
    return { ...rest, user_id: state.user.id, active: d.status === 'open', deleted: false, ...custom_fields };
  };
  const seconds = Math.floor(at.getTime() / 1000);
  return {
    v: 1,
    matches_filters: { current: [] },
    meta: {
      action: 'updated',
      change_source: 'app',
      company_id: state.company.id,
      host: `${state.company.domain}.pipedrive.com`,
      id: after.id,
      is_bulk_update: false,
      object: 'deal',
      permitted_user_ids: [state.user.id],
      pipedrive_service_name: false,
      timestamp: seconds,
      timestamp_micro: at.getTime() * 1000,
      prepublish_timestamp: at.getTime(),
      trans_pending: false,
      user_id: state.user.id,
      v: 1,
      webhook_id: String(hook.id),
    },
    current: flat(after),
    previous: flat(before),
    retry: 0,
    event: 'updated.deal',
  };
}

/** The webhooks that fire for an action on an object. */
export function hooksFor(state: PipedriveState, action: string, object: string, version?: string): FakeWebhook[] {
  return [...state.webhooks.values()].filter(
    (h) => h.is_active && (h.event_action === action || h.event_action === '*') && (h.event_object === object || h.event_object === '*') && (version === undefined || h.version === version),
  );
}

/** POST one payload to one webhook with its basic-auth credentials (or the `auth` headers given). */
export async function post(hook: FakeWebhook, payload: unknown, auth?: Record<string, string>): Promise<Delivery> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const credentials = auth ?? (hook.http_auth_user && hook.http_auth_password ? basicAuthHeader(hook.http_auth_user, hook.http_auth_password) : {});
  const headers = { 'content-type': 'application/json', 'user-agent': 'Pipedrive Webhooks', ...credentials };
  const res = await fetch(hook.subscription_url, { method: 'POST', headers, body });
  const text = await res.text();
  let response: unknown = text;
  try {
    response = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { hook_id: hook.id, url: hook.subscription_url, status: res.status, response, body, headers };
}
