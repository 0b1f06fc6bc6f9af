import { z } from 'zod';
import { errorCodes } from '../lib/errors';
import type { RouteSpec } from './route';

function jsonSchema(schema: z.ZodType, io: 'input' | 'output') {
  return z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' });
}

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(errorCodes) },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

/** Query and path parameters of a route from its zod object schema. */
function parameters(schema: z.ZodType | undefined, where: 'query' | 'path') {
  if (!schema) return [];
  const js = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    schema: s,
  }));
}

/** The OpenAPI 3.1 document, generated from the same route specs (and zod schemas) that validate requests. */
export function buildOpenApi(routes: RouteSpec[], publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const path = r.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    const ok = String(r.status ?? 200);
    const responses: Record<string, unknown> = {
      [ok]: r.response
        ? { description: 'Success', content: { 'application/json': { schema: jsonSchema(r.response, 'output') } } }
        : { description: 'Success' },
      default: { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    };
    for (const [status, note] of Object.entries(r.notes ?? {})) responses[status] ??= { description: note };
    paths[path] ??= {};
    paths[path][r.method] = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      tags: r.tags,
      operationId: `${r.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      security: r.auth === 'none' ? [] : r.auth === 'publishable' ? [{ publishableKey: [] }] : [{ secretKey: [] }],
      parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query'), ...(r.method === 'post' && r.auth === 'secret' ? [idempotencyHeader] : [])],
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(r.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Referloop API',
      version: '1.0.0',
      description: 'Campaigns, participants, referral links, qualification and rewards. Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: publicUrl }],
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        secretKey: { type: 'http', scheme: 'bearer', description: 'Secret API key rl_sk_…' },
        publishableKey: { type: 'http', scheme: 'bearer', description: 'Publishable key rl_pk_… (tracking routes only)' },
      },
    },
  };
}

const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', maxLength: 200 },
  description: 'Same key and body within 24 h replays the first response; same key with another body is a 422',
};
