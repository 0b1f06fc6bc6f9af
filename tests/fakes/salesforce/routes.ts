import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { FakeReply, FakeRequest, RouteTable } from '../toolkit';
import type { OAuthState } from './oauth';
import { parseSoql, runQuery, SoqlError, type FieldValue, type SObjectRecord } from './soql';
import { SaveFailure, type ObjectName, type SalesforceOrg } from './state';

/**
 * The fake org's REST API under `/services/data/v62.0`: describe, SOQL query (2,000 records a
 * batch, then `nextRecordsUrl`), and sObject Collections create/update (200 records a call,
 * `allOrNone`). Every answer carries `Sforce-Limit-Info: api-usage=n/m`; once the allowance is
 * spent, calls answer 403 REQUEST_LIMIT_EXCEEDED. A bad or expired token answers 401 INVALID_SESSION_ID.
 */

export const API_VERSION = '62.0';
const BASE = `/services/data/v${API_VERSION}`;
const BATCH = 2000;

const restError = (status: number, errorCode: string, message: string): FakeReply => ({ status, body: [{ message, errorCode }] });

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const collectionSchema = z.object({
  allOrNone: z.boolean().optional(),
  records: z.array(z.object({ attributes: z.object({ type: z.string() }) }).catchall(z.unknown())),
});

/** A field's label as Salesforce makes one up from the API name: `LeadSource` → Lead Source, `Referral_Code__c` → Referral Code. */
const labelOf = (name: string) => name.replace(/__c$/, '').replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2');

export function restRoutes(org: SalesforceOrg, auth: OAuthState): RouteTable {
  const cursors = new Map<string, { object: string; rows: SObjectRecord[]; total: number }>();

  /** Authenticate and count the call; the answer gets the usage header. */
  const api = (handler: (req: FakeRequest) => FakeReply) => (req: FakeRequest): FakeReply => {
    if (!auth.accessTokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return restError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
    const limited = org.apiUsage.used >= org.apiUsage.limit;
    if (!limited) org.apiUsage.used++;
    const reply = limited ? restError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.') : handler(req);
    return { ...reply, headers: { ...(reply.headers ?? {}), 'sforce-limit-info': `api-usage=${org.apiUsage.used}/${org.apiUsage.limit}` } };
  };

  const known = (type: string): ObjectName | null => (['Lead', 'Contact', 'Opportunity', 'Organization'] as const).find((o) => o.toLowerCase() === type.toLowerCase()) ?? null;
  const withAttributes = (object: string, r: SObjectRecord) => ({ attributes: { type: object, url: `${BASE}/sobjects/${object}/${String(r.Id ?? '')}` }, ...r });

  const page = (locator: string | null, object: string, rows: SObjectRecord[], total: number): FakeReply => {
    const batch = rows.slice(0, BATCH);
    const rest = rows.slice(BATCH);
    let next: string | undefined;
    if (rest.length > 0) {
      const id = locator ?? `01g5g00000${randomBytes(4).toString('hex').toUpperCase()}`;
      const offset = total - rest.length;
      cursors.set(`${id}-${offset}`, { object, rows: rest, total });
      next = `${BASE}/query/${id}-${offset}`;
    }
    return { body: { totalSize: total, done: next === undefined, ...(next ? { nextRecordsUrl: next } : {}), records: batch.map((r) => withAttributes(object, r)) } };
  };

  const save = (mode: 'create' | 'update') =>
    api((req) => {
      const body = collectionSchema.safeParse(req.body);
      if (!body.success) return restError(400, 'JSON_PARSER_ERROR', 'invalid sObject Collections body');
      if (body.data.records.length > 200) return restError(400, 'EXCEEDED_ID_LIMIT', 'record limit reached. cannot submit more than 200 records into this call');
      const results = body.data.records.map((raw) => {
        const { attributes, Id, id, ...rest } = raw;
        const object = known(attributes.type);
        const values = z.record(z.string(), fieldValue).safeParse(rest);
        try {
          if (!object || object === 'Organization') throw new SaveFailure('INVALID_TYPE', `sObject type '${attributes.type}' is not supported`);
          if (!values.success) throw new SaveFailure('INVALID_FIELD', 'field values must be scalars');
          const record = mode === 'create' ? org.create(object, values.data) : org.update(object, String(Id ?? id ?? ''), values.data);
          return { id: String(record.Id), success: true, errors: [] };
        } catch (err) {
          if (!(err instanceof SaveFailure)) throw err;
          return { id: mode === 'update' ? String(Id ?? id ?? '') : null, success: false, errors: [{ statusCode: err.statusCode, message: err.message, fields: err.fields }] };
        }
      });
      return { body: results };
    });

  return {
    [`GET ${BASE}/sobjects/:type/describe`]: api((req) => {
      const object = known(req.params.type);
      if (!object) return restError(404, 'NOT_FOUND', 'The requested resource does not exist');
      return {
        body: {
          name: object,
          fields: org.fields[object].map((f) => ({
            name: f.name,
            label: f.label ?? labelOf(f.name),
            type: f.type ?? 'string',
            custom: f.name.endsWith('__c'),
            createable: f.createable ?? true,
            updateable: f.updateable ?? true,
            nillable: f.nillable ?? true,
            defaultedOnCreate: f.defaultedOnCreate ?? false,
            deprecatedAndHidden: false,
            picklistValues: [
              ...(f.picklistValues ?? []).map((value) => ({ value, label: value, active: true, defaultValue: false, validFor: null })),
              ...(f.inactivePicklistValues ?? []).map((value) => ({ value, label: value, active: false, defaultValue: false, validFor: null })),
            ],
          })),
        },
      };
    }),
    [`GET ${BASE}/query`]: api((req) => {
      try {
        const query = parseSoql(req.query.q ?? '');
        const object = known(query.object);
        if (!object) return restError(400, 'INVALID_TYPE', `sObject type '${query.object}' is not supported.`);
        const unknown = query.fields.find((f) => !org.hasField(object, f));
        if (unknown) return restError(400, 'INVALID_FIELD', `No such column '${unknown}' on entity '${object}'.`);
        const all = [...org.records[object].values()];
        const { totalSize, rows } = runQuery(query, all);
        return page(null, object, rows, query.count ? totalSize : rows.length);
      } catch (err) {
        if (err instanceof SoqlError) return restError(400, 'MALFORMED_QUERY', err.message);
        throw err;
      }
    }),
    [`GET ${BASE}/query/:locator`]: api((req) => {
      const cursor = cursors.get(req.params.locator);
      if (!cursor) return restError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      cursors.delete(req.params.locator);
      return page(req.params.locator.replace(/-\d+$/, ''), cursor.object, cursor.rows, cursor.total);
    }),
    [`POST ${BASE}/composite/sobjects`]: save('create'),
    [`PATCH ${BASE}/composite/sobjects`]: save('update'),
  };
}

export type { FieldValue };
