import { z } from 'zod';
import { isRecord, render, type Scope } from '../iml/evaluate';
import { type HttpResponse, type RenderedRequest, send } from './http';

/**
 * Runs one communication (the `api` code of a module, RPC, webhook attach/detach or connection) against a
 * real server, approximating Make's request/response pipeline: base merged in (baseUrl for URLs starting
 * with `/`, headers, query string, response error handling and log sanitisation), `temp`, `condition`,
 * the request, error mapping by status code, `iterate`, `output`, `limit`, `pagination` and the
 * `trigger`, `data` and `metadata` collections. Directives the app does not use are refused.
 */
const SUPPORTED = new Set(['url', 'baseUrl', 'method', 'headers', 'qs', 'body', 'type', 'temp', 'condition', 'response', 'pagination', 'log']);

const responseSchema = z
  .object({
    error: z.unknown().optional(),
    valid: z.unknown().optional(),
    iterate: z.unknown().optional(),
    output: z.unknown().optional(),
    limit: z.unknown().optional(),
    trigger: z.unknown().optional(),
    data: z.unknown().optional(),
    metadata: z.unknown().optional(),
    temp: z.unknown().optional(),
  })
  .strict();

const errorSpecSchema = z.union([
  z.string(),
  z.object({ message: z.string(), type: z.string().optional() }).catchall(z.object({ message: z.string(), type: z.string().optional() })),
]);

/** A module error as Make would raise it: its type (DataError, RateLimitError…) and rendered message. */
export class MakeRuntimeError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = type;
  }
}

/** One logged request/response pair after `log.sanitize` was applied. */
export interface LogEntry {
  request: { url: string; method: string; headers: Record<string, string>; body?: unknown };
  response: HttpResponse;
}

/** One item a communication produced, with its trigger id/date when a `trigger` directive exists. */
export interface OutputItem {
  output: unknown;
  triggerId?: unknown;
  triggerDate?: unknown;
}

export interface CommunicationResult {
  items: OutputItem[];
  data?: unknown;
  metadata?: unknown;
  responses: HttpResponse[];
  log: LogEntry[];
}

export interface CommunicationOptions {
  /** base.iml.json, for modules, RPCs and webhooks; connections do not use it. */
  base?: Record<string, unknown>;
  scope: Scope;
  /** Stop paging once a page has an item the trigger already processed (polling triggers). */
  stopAt?: (item: OutputItem) => boolean;
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** Merge base and component code the way Make layers them: the component wins key by key. */
function withBase(base: Record<string, unknown>, spec: Record<string, unknown>): Record<string, unknown> {
  const baseLog = record(base.log);
  const specLog = record(spec.log);
  const sanitize = [...(Array.isArray(baseLog.sanitize) ? baseLog.sanitize : []), ...(Array.isArray(specLog.sanitize) ? specLog.sanitize : [])];
  return {
    ...spec,
    baseUrl: base.baseUrl,
    headers: { ...record(base.headers), ...record(spec.headers) },
    qs: { ...record(base.qs), ...record(spec.qs) },
    response: { ...record(base.response), ...record(spec.response) },
    log: { sanitize },
  };
}

function sanitizeLog(entry: LogEntry, paths: unknown[]): LogEntry {
  const headers = { ...entry.request.headers };
  for (const p of paths) {
    const m = typeof p === 'string' ? /^request\.headers\.(.+)$/i.exec(p) : null;
    if (!m) continue;
    for (const k of Object.keys(headers)) if (k.toLowerCase() === m[1].toLowerCase()) headers[k] = '[sanitized]';
  }
  return { ...entry, request: { ...entry.request, headers } };
}

function renderRequest(spec: Record<string, unknown>, scope: Scope): RenderedRequest {
  const url = String(render(spec.url, scope) ?? '');
  const baseUrl = spec.baseUrl === undefined ? '' : String(render(spec.baseUrl, scope) ?? '');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(record(render(spec.headers ?? {}, scope)))) if (v !== undefined && v !== null) headers[k] = String(v);
  return {
    url: url.startsWith('/') ? baseUrl + url : url,
    method: String(render(spec.method ?? 'GET', scope)).toUpperCase(),
    headers,
    qs: record(render(spec.qs ?? {}, scope)),
    body: render(spec.body, scope),
    type: String(render(spec.type ?? 'json', scope)),
  };
}

function raiseError(errorSpec: unknown, res: HttpResponse, scope: Scope): never {
  const spec = errorSpecSchema.optional().parse(errorSpec);
  let message = `[${res.statusCode}] ${JSON.stringify(res.body)}`;
  let type = 'RuntimeError';
  if (typeof spec === 'string') message = String(render(spec, scope));
  else if (spec) {
    const specific = spec[String(res.statusCode)];
    const chosen = isRecord(specific) ? specific : spec;
    message = String(render(chosen.message, scope));
    if (typeof chosen.type === 'string') type = String(render(chosen.type, scope));
  }
  throw new MakeRuntimeError(type, message, res.statusCode);
}

/** Run one communication against a live server and return what Make would output. */
export async function runCommunication(code: unknown, opts: CommunicationOptions): Promise<CommunicationResult> {
  if (!isRecord(code)) throw new Error('communication must be one request object (arrays of requests are not used by this app)');
  for (const key of Object.keys(code)) if (!SUPPORTED.has(key)) throw new Error(`directive "${key}" is not supported by the test evaluator`);
  const spec = opts.base ? withBase(opts.base, code) : code;
  const response = responseSchema.parse(spec.response ?? {});
  const logSpec = record(spec.log);
  const sanitize: unknown[] = Array.isArray(logSpec.sanitize) ? logSpec.sanitize : [];
  let scope: Scope = { ...opts.scope };
  if (spec.temp !== undefined) scope = { ...scope, temp: { ...record(scope.temp), ...record(render(spec.temp, scope)) } };

  const result: CommunicationResult = { items: [], responses: [], log: [] };
  if (spec.condition !== undefined && !render(spec.condition, scope)) return result;

  const limitValue = response.limit === undefined ? undefined : Number(render(response.limit, scope));
  let request = renderRequest(spec, scope);
  for (let page = 0; page < 50; page++) {
    const res = await send(request);
    result.responses.push(res);
    result.log.push(sanitizeLog({ request: { url: request.url, method: request.method, headers: request.headers, body: request.body }, response: res }, sanitize));
    let resScope: Scope = { ...scope, statusCode: res.statusCode, headers: res.headers, body: res.body };
    if (res.statusCode >= 400) raiseError(response.error, res, resScope);
    if (response.valid !== undefined && !render(response.valid, resScope)) raiseError(response.error, res, resScope);
    if (response.temp !== undefined) resScope = { ...resScope, temp: { ...record(resScope.temp), ...record(render(response.temp, resScope)) } };
    if (response.data !== undefined) result.data = render(response.data, resScope);
    if (response.metadata !== undefined) result.metadata = render(response.metadata, resScope);

    const trigger = record(response.trigger);
    const produce = (itemScope: Scope): OutputItem => ({
      output: response.output === undefined ? (itemScope.item ?? itemScope.body) : render(response.output, itemScope),
      ...(response.trigger ? { triggerId: render(trigger.id, itemScope), triggerDate: render(trigger.date, itemScope) } : {}),
    });

    if (response.iterate === undefined) {
      result.items.push(produce(resScope));
      return result;
    }
    const container = render(isRecord(response.iterate) ? response.iterate.container : response.iterate, resScope);
    const list = Array.isArray(container) ? container : [];
    let reachedSeen = false;
    for (const [i, item] of list.entries()) {
      const itemScope = { ...resScope, item, iterate: { container: { first: list[0], last: list[list.length - 1] } }, index: i + 1 };
      const produced = produce(itemScope);
      if (opts.stopAt?.(produced)) {
        reachedSeen = true;
        break;
      }
      result.items.push(produced);
    }
    const pagination = record(spec.pagination);
    const full = limitValue !== undefined && result.items.length >= limitValue;
    if (full) result.items = result.items.slice(0, limitValue);
    if (reachedSeen || full || list.length === 0 || !spec.pagination || !render(pagination.condition ?? true, resScope)) return result;
    // mergeWithParent (the default): the next page is the first request with the pagination directives on top.
    const next = renderRequest({ ...spec, ...pagination, qs: { ...record(spec.qs), ...record(pagination.qs) } }, resScope);
    request = { ...next, qs: { ...request.qs, ...next.qs } };
  }
  throw new Error('pagination did not stop after 50 pages');
}
