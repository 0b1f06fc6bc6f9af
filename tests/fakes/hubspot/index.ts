import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { hubspotRateHeaders, hubspotV3Headers, startFakeVendor, type FakeReply, type FakeRequest, type FakeVendor } from '../toolkit';
import { listRoutes } from './lists';
import { propertyRoutes } from './properties';
import { HubSpotStore, view, type CrmRecord } from './store';

/**
 * A local HubSpot: the CRM v3 objects, batch, search, properties, pipelines and lists APIs (list
 * and record memberships, lists.ts), the associations v4 batch read, account info and the OAuth
 * token endpoint, answering with HubSpot's shapes and status codes (201 on create, 200 — or 207
 * with `errors` — on batch, 204 on archive, `new` on upserted records) so the official SDK accepts
 * them. Bearer tokens are checked (401 like HubSpot otherwise). `rateLimit()` enforces HubSpot's
 * burst limit with its `X-HubSpot-RateLimit-*` headers and its 429 body (`policyName: TEN_SECONDLY_ROLLING`).
 */
// https://developers.hubspot.com/docs/api/crm/contacts · https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details

export interface FakeHubSpot extends FakeVendor {
  store: HubSpotStore;
  /** a private app token the fake accepts */
  token: string;
  /** the OAuth app: the refresh token it knows, and the access tokens it issued (oldest first) */
  oauth: { clientId: string; clientSecret: string; refreshToken: string; issued: string[] };
  /** HubSpot's burst limit with its headers and 429 body */
  limit(max: number, intervalMs: number): void;
  /** a signed (v3) delivery of these events to `url`, as HubSpot would post it */
  signedDelivery(url: string, events: unknown[], opts?: { secret?: string; timestampMs?: number }): { body: string; headers: Record<string, string> };
}

const batchInput = z.object({ inputs: z.array(z.record(z.string(), z.unknown())) });
const stringMap = z.record(z.string(), z.unknown()).transform((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)])));
const idInput = z.object({ id: z.union([z.string(), z.number()]).transform(String) });

const stamp = () => new Date().toISOString();
const batchReply = (results: unknown[], errors: unknown[], status = 200): FakeReply => ({
  status: errors.length > 0 ? 207 : status,
  body: { status: 'COMPLETE', results, ...(errors.length > 0 ? { errors, numErrors: errors.length } : {}), requestedAt: stamp(), startedAt: stamp(), completedAt: stamp() },
});
const notFound = (ids: string[]) => ({ status: 'error', category: 'OBJECT_NOT_FOUND', message: 'Could not get some CONTACT objects, they may be deleted or not exist.', context: { ids }, errors: [] });

function page<T>(items: T[], req: FakeRequest, max = 100): { slice: T[]; next: string | null } {
  const limit = Math.min(max, Number(req.query.limit ?? 10) || 10);
  const start = Number(req.query.after ?? 0) || 0;
  const slice = items.slice(start, start + limit);
  return { slice, next: start + limit < items.length ? String(start + limit) : null };
}

export async function startFakeHubSpot(): Promise<FakeHubSpot> {
  const store = new HubSpotStore();
  const token = `pat-na1-${randomBytes(12).toString('hex')}`;
  const oauth = { clientId: `client-${randomBytes(4).toString('hex')}`, clientSecret: randomBytes(16).toString('hex'), refreshToken: `refresh-${randomBytes(12).toString('hex')}`, issued: new Array<string>() };
  const issued = new Set<string>([token]);

  const authed = (handler: (req: FakeRequest) => FakeReply | Promise<FakeReply>) => (req: FakeRequest) => {
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    if (!issued.has(bearer)) return { status: 401, body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION', correlationId: randomBytes(8).toString('hex') } };
    return handler(req);
  };

  const search = (records: Map<string, CrmRecord>) => (req: FakeRequest) => {
    const body = z
      .object({
        filterGroups: z.array(z.object({ filters: z.array(z.object({ propertyName: z.string(), operator: z.string(), value: z.string().optional() })) })).default([]),
        sorts: z.array(z.unknown()).default([]),
        properties: z.array(z.string()).default([]),
        limit: z.number().int().default(10),
        after: z.string().optional(),
      })
      .parse(req.body);
    const matches = [...records.values()].filter((r) =>
      body.filterGroups.length === 0 ? true : body.filterGroups.some((g) => g.filters.every((f) => {
        const raw = r.properties[f.propertyName] ?? '';
        const have = Date.parse(raw);
        const want = Number(f.value);
        if (f.operator === 'GTE') return have >= want;
        if (f.operator === 'EQ') return raw === f.value;
        return false;
      })),
    );
    const sortKey = body.filterGroups[0]?.filters[0]?.propertyName;
    if (sortKey) matches.sort((a, b) => Date.parse(a.properties[sortKey] ?? '') - Date.parse(b.properties[sortKey] ?? ''));
    const start = Number(body.after ?? 0) || 0;
    const slice = matches.slice(start, start + Math.min(200, body.limit));
    const next = start + slice.length < matches.length ? String(start + slice.length) : null;
    return { body: { total: matches.length, results: slice.map((r) => view(r, body.properties)), ...(next ? { paging: { next: { after: next } } } : {}) } };
  };

  const fake = await startFakeVendor({
    name: 'hubspot',
    routes: {
      'GET /account-info/v3/details': authed(() => ({
        body: { portalId: store.portalId, accountType: 'STANDARD', timeZone: 'US/Eastern', companyCurrency: 'USD', additionalCurrencies: [], utcOffset: '-05:00', utcOffsetMilliseconds: -18000000, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' },
      })),
      'POST /oauth/v1/token': (req) => {
        const form = z.record(z.string(), z.string()).parse(req.body ?? {});
        const clientOk = form.client_id === oauth.clientId && form.client_secret === oauth.clientSecret;
        const grantOk = form.grant_type === 'refresh_token' ? form.refresh_token === oauth.refreshToken : form.grant_type === 'authorization_code' && form.code === 'good-code';
        if (!clientOk || !grantOk) return { status: 400, body: { status: 'BAD_REFRESH_TOKEN', message: 'missing or unknown refresh token' } };
        const access = `oauth-${randomBytes(12).toString('hex')}`;
        issued.add(access);
        oauth.issued.push(access);
        return { body: { token_type: 'bearer', refresh_token: oauth.refreshToken, access_token: access, expires_in: 1800 } };
      },
      ...propertyRoutes(store, authed),
      'GET /crm/v3/objects/contacts': authed((req) => {
        const { slice, next } = page([...store.contacts.values()], req);
        // The SDK repeats `properties=` per name and the toolkit keeps the last one: the defaults plus what it kept.
        const props = ['email', 'firstname', 'lastname', ...(req.query.properties ? req.query.properties.split(',') : [])];
        return { body: { results: slice.map((c) => view(c, props)), ...(next ? { paging: { next: { after: next, link: `?after=${next}` } } } : {}) } };
      }),
      'POST /crm/v3/objects/contacts': authed((req) => {
        const { properties } = z.object({ properties: stringMap }).parse(req.body);
        if (properties.email && store.findContactByEmail(properties.email)) return { status: 409, body: { status: 'error', message: 'Contact already exists', category: 'CONFLICT' } };
        return { status: 201, body: view(store.writeContact(null, properties).record, null) };
      }),
      'DELETE /crm/v3/objects/contacts/:id': authed((req) => {
        store.contacts.delete(req.params.id);
        return { status: 204 };
      }),
      'POST /crm/v3/objects/contacts/batch/upsert': authed((req) => {
        const inputs = batchInput.parse(req.body).inputs.map((i) => z.object({ id: z.string(), idProperty: z.literal('email'), objectWriteTraceId: z.string().optional(), properties: stringMap }).parse(i));
        const emails = inputs.map((i) => i.id.toLowerCase());
        if (new Set(emails).size !== emails.length) return { status: 400, body: { status: 'error', message: 'Duplicate IDs found in batch input', category: 'VALIDATION_ERROR' } };
        const results: unknown[] = [];
        const errors: unknown[] = [];
        for (const input of inputs) {
          if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.id)) {
            errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: `Email address ${input.id} is invalid`, context: { ids: [input.id] } });
            continue;
          }
          const unknown = Object.keys(input.properties).filter((p) => !store.properties.some((x) => x.name === p));
          if (unknown.length > 0) return { status: 400, body: { status: 'error', category: 'VALIDATION_ERROR', message: `Property values were not valid: ${unknown.join(', ')} do not exist` } };
          const { record, created } = store.writeContact(store.findContactByEmail(input.id)?.id ?? null, { ...input.properties, email: input.id });
          results.push(view(record, Object.keys(input.properties), { new: created, ...(input.objectWriteTraceId ? { objectWriteTraceId: input.objectWriteTraceId } : {}) }));
        }
        return batchReply(results, errors);
      }),
      'POST /crm/v3/objects/contacts/batch/read': authed((req) => {
        const body = z.object({ inputs: z.array(idInput), properties: z.array(z.string()).default([]) }).parse(req.body);
        const found = body.inputs.map((i) => store.contacts.get(i.id)).filter((c): c is CrmRecord => c !== undefined);
        const missing = body.inputs.map((i) => i.id).filter((id) => !store.contacts.has(id));
        return batchReply(found.map((c) => view(c, body.properties)), missing.length > 0 ? [notFound(missing)] : []);
      }),
      'POST /crm/v3/objects/contacts/batch/update': authed((req) => {
        const inputs = batchInput.parse(req.body).inputs.map((i) => idInput.extend({ properties: stringMap }).parse(i));
        const results: unknown[] = [];
        const missing: string[] = [];
        for (const input of inputs) {
          if (!store.contacts.has(input.id)) missing.push(input.id);
          else results.push(view(store.writeContact(input.id, input.properties).record, Object.keys(input.properties)));
        }
        return batchReply(results, missing.length > 0 ? [notFound(missing)] : []);
      }),
      'POST /crm/v3/objects/contacts/search': authed(search(store.contacts)),
      'POST /crm/v3/objects/deals/search': authed(search(store.deals)),
      'POST /crm/v3/objects/deals/batch/create': authed((req) => {
        const inputs = batchInput.parse(req.body).inputs.map((i) =>
          z
            .object({ objectWriteTraceId: z.string().optional(), properties: stringMap, associations: z.array(z.object({ to: idInput })).default([]) })
            .parse(i),
        );
        const results = inputs.map((input) => view(store.writeDeal(null, input.properties, input.associations.map((a) => a.to.id)), null, input.objectWriteTraceId ? { objectWriteTraceId: input.objectWriteTraceId } : {}));
        return batchReply(results, [], 201);
      }),
      'POST /crm/v4/associations/:from/:to/batch/read': authed((req) => {
        const ids = z.object({ inputs: z.array(idInput) }).parse(req.body).inputs.map((i) => i.id);
        const pairs = (id: string): string[] => (req.params.from === 'deals' ? [...(store.dealContacts.get(id) ?? [])] : store.dealsOf(id));
        const results = ids
          .filter((id) => pairs(id).length > 0)
          .map((id) => ({ from: { id }, to: pairs(id).map((to) => ({ toObjectId: Number(to), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: req.params.from === 'deals' ? 3 : 4, label: null }] })) }));
        return batchReply(results, []);
      }),
      ...listRoutes(store, authed),
    },
  });

  return Object.assign(fake, {
    store,
    token,
    oauth,
    limit(max: number, intervalMs: number) {
      fake.rateLimit({
        limit: max,
        windowMs: intervalMs,
        headers: hubspotRateHeaders(intervalMs),
        body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: randomBytes(8).toString('hex'), policyName: 'TEN_SECONDLY_ROLLING' },
      });
    },
    signedDelivery(url: string, events: unknown[], opts: { secret?: string; timestampMs?: number } = {}) {
      const body = JSON.stringify(events);
      return { body, headers: { 'content-type': 'application/json', ...hubspotV3Headers(opts.secret ?? oauth.clientSecret, 'POST', url, body, opts.timestampMs) } };
    },
  });
}
