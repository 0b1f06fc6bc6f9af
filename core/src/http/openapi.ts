import { z } from 'zod';
import { errorCodes } from '../lib/errors';
import type { HeaderDoc, OperationDoc } from './operation-doc';
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

const idempotencyHeader: HeaderDoc = {
  name: 'Idempotency-Key',
  schema: z.string().max(200),
  description: 'Same key and body within 24 h replays the first response; same key with another body is a 422',
};

const problemAnswer = { description: 'Problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };

/** A declared route in the shape every documented operation shares. */
function docOfRoute(r: RouteSpec): OperationDoc {
  const responses: OperationDoc['responses'] = { [r.status ?? 200]: { description: 'Success', schema: r.response } };
  for (const [status, note] of Object.entries(r.notes ?? {})) responses[Number(status)] ??= { description: note };
  return {
    method: r.method,
    path: r.path,
    summary: r.summary,
    description: r.description,
    tags: r.tags,
    auth: r.auth,
    params: r.params,
    query: r.query,
    headers: r.method === 'post' && r.auth === 'secret' ? [idempotencyHeader] : [],
    body: r.body ? { contentTypes: ['application/json'], schema: r.body } : undefined,
    responses,
  };
}

function operationObject(doc: OperationDoc, path: string) {
  const responses: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(doc.responses)) {
    responses[status] = answer.schema ? { description: answer.description, content: { 'application/json': { schema: jsonSchema(answer.schema, 'output') } } } : { description: answer.description };
  }
  responses.default = problemAnswer;
  const headers = (doc.headers ?? []).map((h) => {
    // A parameter's schema is a fragment of the document, like the path and query ones: no $schema of its own.
    const { $schema: _dialect, ...schema } = h.schema ? jsonSchema(h.schema, 'input') : { type: 'string' };
    return { name: h.name, in: 'header', required: h.required ?? false, schema, description: h.description };
  });
  const body = doc.body;
  const bodySchema = body?.schema ? jsonSchema(body.schema, 'input') : {};
  return {
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    tags: doc.tags,
    operationId: `${doc.method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    security: doc.auth === 'none' ? [] : doc.auth === 'publishable' ? [{ publishableKey: [] }] : [{ secretKey: [] }],
    parameters: [...parameters(doc.params, 'path'), ...parameters(doc.query, 'query'), ...headers],
    ...(body
      ? {
          requestBody: {
            required: true,
            ...(body.description ? { description: body.description } : {}),
            content: Object.fromEntries(body.contentTypes.map((type) => [type, { schema: bodySchema }])),
          },
        }
      : {}),
    responses,
  };
}

/**
 * The OpenAPI 3.1 document, generated from the same route specs (and zod schemas) that validate
 * requests, plus the operations served by their own handlers (see OperationDoc).
 */
export function buildOpenApi(routes: RouteSpec[], publicUrl: string, operations: OperationDoc[] = []) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of [...routes.map(docOfRoute), ...operations]) {
    const path = doc.path.replace(/:([A-Za-z_]+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][doc.method] = operationObject(doc, path);
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

