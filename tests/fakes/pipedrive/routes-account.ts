import { randomBytes } from 'node:crypto';
import type { RouteTable } from '../toolkit';
import { api, bodyOf, fail, num, ok, str, type Budget } from './http';
import { fieldKey, nowIso, webhookV1, type FakeField, type PipedriveState } from './state';

/** A field as the v1 fields API answers it: `name` and `title` are the fields Pipedrive requires. */
const fieldV1 = (f: FakeField) => ({
  ...f,
  order_nr: f.id,
  active_flag: f.active_flag ?? true,
  add_visible_flag: true,
  bulk_edit_allowed: f.edit_flag,
  mandatory_flag: f.key === 'name' || f.key === 'title',
  options: null,
});

/** API v2 cursor paging: `limit` (default 100, at most 500) items from the opaque `cursor`. */
function cursorPage<T>(items: T[], query: Record<string, string>): { page: T[]; next_cursor: string | null } {
  const limit = Math.min(500, num(query.limit) ?? 100);
  const start = query.cursor ? Number(Buffer.from(query.cursor, 'base64url').toString()) : 0;
  const end = start + limit;
  return { page: items.slice(start, end), next_cursor: end < items.length ? Buffer.from(String(end)).toString('base64url') : null };
}

/** Account-level routes: current user, person/deal fields, pipelines, stages, webhooks, OAuth tokens. */
export function accountRoutes(state: PipedriveState, budget: { current: Budget | null }, oauth: { clientId: string; clientSecret: string; code: string; apiDomain: () => string; refreshTokens: Set<string> }): RouteTable {
  const fieldRoutes = (plural: 'personFields' | 'dealFields'): RouteTable => ({
    // https://developers.pipedrive.com/docs/api/v1/PersonFields#getPersonFields
    [`GET /api/v1/${plural}`]: api(state, budget, (req) => {
      const start = num(req.query.start) ?? 0;
      const limit = Math.min(500, num(req.query.limit) ?? 100);
      const all = state[plural];
      const page = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return ok(page.map(fieldV1), {
        pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) },
      });
    }),
    // https://developers.pipedrive.com/docs/api/v1/PersonFields#addPersonField
    [`POST /api/v1/${plural}`]: api(state, budget, (req) => {
      const b = bodyOf(req);
      const name = str(b.name)?.trim();
      const type = str(b.field_type);
      if (!name) return fail(400, 'Name must be given.');
      if (!type) return fail(400, 'Field type must be given.');
      const field: FakeField = { id: state.nextId++, key: fieldKey(), name, field_type: type, edit_flag: true };
      state[plural].push(field);
      return ok(fieldV1(field));
    }),
  });

  // v2 actions, and v1's (`added`, `updated`…) for webhooks of version 1.0.
  const eventActions = new Set(['create', 'change', 'delete', '*', 'added', 'updated', 'merged', 'deleted']);
  const eventObjects = new Set(['activity', 'deal', 'lead', 'note', 'organization', 'person', 'pipeline', 'product', 'stage', 'user', '*']);

  return {
    // https://developers.pipedrive.com/docs/api/v1/Users#getCurrentUser
    'GET /api/v1/users/me': api(state, budget, () =>
      ok({
        id: state.user.id,
        name: state.user.name,
        email: state.user.email,
        lang: 1,
        locale: 'en_US',
        timezone_name: 'Europe/Tallinn',
        company_id: state.company.id,
        company_name: state.company.name,
        company_domain: state.company.domain,
        company_country: 'EE',
        is_admin: 1,
        active_flag: true,
      }),
    ),
    ...fieldRoutes('personFields'),
    ...fieldRoutes('dealFields'),
    // https://developers.pipedrive.com/docs/api/v1/Pipelines#getPipelinesV2
    'GET /api/v2/pipelines': api(state, budget, (req) => {
      const pipelines = state.pipelines.map((p, i) => ({ order_nr: i + 1, ...p, is_deleted: false, is_deal_probability_enabled: false, add_time: '2024-01-01T00:00:00Z', update_time: null, is_selected: i === 0 }));
      const { page, next_cursor } = cursorPage(pipelines, req.query);
      return ok(page, { next_cursor });
    }),
    // https://developers.pipedrive.com/docs/api/v1/Stages#getStagesV2
    'GET /api/v2/stages': api(state, budget, (req) => {
      const pipelineId = num(req.query.pipeline_id);
      const stages = state.stages
        .filter((s) => pipelineId === null || s.pipeline_id === pipelineId)
        .map((s) => ({ ...s, is_deleted: false, deal_probability: 100, is_deal_rot_enabled: false, days_to_rotten: null, add_time: '2024-01-01T00:00:00Z', update_time: null }));
      const { page, next_cursor } = cursorPage(stages, req.query);
      return ok(page, { next_cursor });
    }),
    // https://developers.pipedrive.com/docs/api/v1/Webhooks#getWebhooks
    'GET /api/v1/webhooks': api(state, budget, () => ({ body: { success: true, status: 'ok', data: [...state.webhooks.values()].map((w) => webhookV1(w, state)) } })),
    // https://developers.pipedrive.com/docs/api/v1/Webhooks#addWebhook
    'POST /api/v1/webhooks': api(state, budget, (req) => {
      const b = bodyOf(req);
      const url = str(b.subscription_url);
      const action = str(b.event_action);
      const object = str(b.event_object);
      const name = str(b.name);
      if (!url || !/^https?:\/\//.test(url)) return { status: 400, body: { success: false, status: 'error', errors: { subscription_url: 'The subscription url must be a valid URL' } } };
      if (!action || !eventActions.has(action)) return { status: 400, body: { success: false, status: 'error', errors: { event_action: 'Invalid event action' } } };
      if (!object || !eventObjects.has(object)) return { status: 400, body: { success: false, status: 'error', errors: { event_object: 'Invalid event object' } } };
      if (!name) return { status: 400, body: { success: false, status: 'error', errors: { name: 'Name is required' } } };
      if (state.webhooks.size >= 40) return fail(400, 'Webhooks limit reached');
      const hook = {
        id: state.nextId++,
        name,
        subscription_url: url,
        event_action: action,
        event_object: object,
        version: str(b.version) ?? '1.0',
        http_auth_user: str(b.http_auth_user),
        http_auth_password: str(b.http_auth_password),
        is_active: true,
        add_time: nowIso(),
      };
      state.webhooks.set(hook.id, hook);
      return { status: 201, body: { success: true, status: 'ok', data: webhookV1(hook, state) } };
    }),
    // https://developers.pipedrive.com/docs/api/v1/Webhooks#deleteWebhook
    'DELETE /api/v1/webhooks/:id': api(state, budget, (req) => {
      const id = num(req.params.id);
      if (id === null || !state.webhooks.delete(id)) return { status: 404, body: { success: false, status: 'error', errors: { id: 'Webhook not found' } } };
      return { body: { success: true, status: 'ok' } };
    }),
    // https://pipedrive.readme.io/docs/marketplace-oauth-authorization (POST /oauth/token, client credentials in basic auth)
    'POST /oauth/token': (req) => {
      const expected = `Basic ${Buffer.from(`${oauth.clientId}:${oauth.clientSecret}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return { status: 401, body: { success: false, error: 'invalid_client', message: 'Invalid client credentials' } };
      const b = bodyOf(req);
      const grant = str(b.grant_type);
      if (grant === 'authorization_code') {
        if (b.code !== oauth.code) return { status: 400, body: { success: false, error: 'invalid_grant', message: 'Invalid grant: authorization code is invalid' } };
        oauth.code = `used-${randomBytes(4).toString('hex')}`;
      } else if (grant === 'refresh_token') {
        const given = str(b.refresh_token);
        if (!given || !oauth.refreshTokens.has(given)) return { status: 400, body: { success: false, error: 'invalid_grant', message: 'Invalid grant: refresh token is invalid' } };
        oauth.refreshTokens.delete(given);
      } else {
        return { status: 400, body: { success: false, error: 'unsupported_grant_type' } };
      }
      const access = `v1u:${randomBytes(16).toString('hex')}`;
      const refresh = `r:${randomBytes(16).toString('hex')}`;
      state.accessTokens.add(access);
      oauth.refreshTokens.add(refresh);
      return { body: { access_token: access, token_type: 'Bearer', refresh_token: refresh, scope: 'base,deals:full,contacts:full,leads:full,admin', expires_in: 3599, api_domain: oauth.apiDomain() } };
    },
  };
}
