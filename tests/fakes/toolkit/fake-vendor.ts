import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received, as it arrived. */
export interface RecordedRequest {
  method: string;
  /** path without the query string */
  path: string;
  query: Record<string, string>;
  /** header names lower-cased */
  headers: Record<string, string>;
  rawBody: Buffer;
  /** JSON or form bodies parsed; other bodies as text; undefined when empty */
  body: unknown;
  /** the route key that answered (`GET /v1/persons/:id`), or null */
  route: string | null;
  /** when it arrived (ms since the epoch) */
  at: number;
}

/** A request as a route handler sees it: recorded fields plus the path parameters. */
export interface FakeRequest extends RecordedRequest {
  params: Record<string, string>;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  /** objects and arrays are sent as JSON; strings and Buffers as they are */
  body?: unknown;
}

export type RouteHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

/** Routes by `METHOD /path/:param` (a `*` method matches any). */
export type RouteTable = Record<string, RouteHandler>;

/** A scripted failure served instead of the route's answer. */
export type Fault =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** never answer (until the fake closes): the client's timeout must fire */
  | { hang: true }
  /** cut the connection without an answer */
  | { reset: true }
  /** answer normally, this many ms late (the route runs after the wait) */
  | { delayMs: number }
  /** run the route at once but send its answer this many ms late: the change is made, the answer comes too late */
  | { answerAfterMs: number }
  /** answer normally once `until` settles (hold a request while a test kills the client) */
  | { until: Promise<unknown> };

export interface RateLimit {
  /** requests allowed per window */
  limit: number;
  windowMs: number;
  /** headers for every answer (and the 429s), from the window's state */
  headers?: (state: { limit: number; remaining: number; resetMs: number }) => Record<string, string>;
  /** the 429 body */
  body?: unknown;
}

export interface FakeVendor {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** the HTTP server, for fakes that serve another protocol beside the routes (the Salesforce fake's CometD endpoint) */
  server: http.Server;
  /** every request received, oldest first (rate-limited and faulted ones included) */
  requests: RecordedRequest[];
  /** the requests that matched a route key, e.g. `fake.requestsTo('POST /v1/persons')` */
  requestsTo(routeKey: string): RecordedRequest[];
  /** add or replace a route */
  route(key: string, handler: RouteHandler): void;
  /** serve `fault` for `times` requests matching `routeKey` (`*` = any route), after letting `after` of them through */
  fail(routeKey: string, fault: Fault, times?: number, after?: number): void;
  /** enforce a fixed-window rate limit (null removes it) */
  rateLimit(limit: RateLimit | null): void;
  /** forget recorded requests (routes, faults and limits stay) */
  clearRequests(): void;
  close(): Promise<void>;
}

interface CompiledRoute {
  key: string;
  method: string;
  pattern: RegExp;
  names: string[];
  handler: RouteHandler;
}

function compile(key: string, handler: RouteHandler): CompiledRoute {
  const space = key.indexOf(' ');
  if (space < 0) throw new Error(`route key '${key}' must be 'METHOD /path'`);
  const method = key.slice(0, space).toUpperCase();
  const path = key.slice(space + 1);
  const names: string[] = [];
  const source = path
    .split('/')
    .map((part) => {
      if (part.startsWith(':')) {
        names.push(part.slice(1));
        return '([^/]+)';
      }
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { key, method, pattern: new RegExp(`^${source}/?$`), names, handler };
}

function parseBody(raw: Buffer, contentType: string): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (contentType.includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

/**
 * A fake vendor API on 127.0.0.1: answers from a route table, records every request, serves
 * scripted faults (429 with headers, 500s, hangs, resets) and can enforce a rate limit. Each
 * connector's fake (tests/fakes/<vendor>/) is a route table answering with the vendor's documented
 * status codes and shapes, so the official SDK accepts the answers.
 */
export async function startFakeVendor(options: { routes?: RouteTable; name?: string } = {}): Promise<FakeVendor> {
  const routes: CompiledRoute[] = Object.entries(options.routes ?? {}).map(([k, h]) => compile(k, h));
  const requests: RecordedRequest[] = [];
  const faults: Array<{ routeKey: string; fault: Fault; left: number; skip: number }> = [];
  let limit: RateLimit | null = null;
  let windowStart = Date.now();
  let windowCount = 0;

  const findRoute = (method: string, path: string) => {
    for (const r of routes) {
      if (r.method !== '*' && r.method !== method) continue;
      const m = r.pattern.exec(path);
      if (m) return { route: r, params: Object.fromEntries(r.names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
    }
    return null;
  };

  const send = (res: http.ServerResponse, reply: FakeReply, extraHeaders: Record<string, string> = {}) => {
    const body = reply.body;
    const isRaw = typeof body === 'string' || Buffer.isBuffer(body);
    const headers: Record<string, string> = { ...extraHeaders, ...(reply.headers ?? {}) };
    if (body !== undefined && !isRaw && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    res.writeHead(reply.status ?? 200, headers);
    res.end(body === undefined ? undefined : isRaw ? body : JSON.stringify(body));
  };

  const limitState = () => {
    if (!limit) return null;
    const now = Date.now();
    if (now - windowStart >= limit.windowMs) {
      windowStart = now;
      windowCount = 0;
    }
    return { now };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        const rawBody = Buffer.concat(chunks);
        const method = (req.method ?? 'GET').toUpperCase();
        const found = findRoute(method, url.pathname);
        const recorded: RecordedRequest = {
          method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers,
          rawBody,
          body: parseBody(rawBody, headers['content-type'] ?? ''),
          route: found?.route.key ?? null,
          at: Date.now(),
        };
        requests.push(recorded);

        let rateHeaders: Record<string, string> = {};
        if (limit && limitState()) {
          windowCount++;
          const remaining = Math.max(0, limit.limit - windowCount);
          const resetMs = Math.max(0, windowStart + limit.windowMs - Date.now());
          rateHeaders = limit.headers?.({ limit: limit.limit, remaining, resetMs }) ?? {};
          if (windowCount > limit.limit) {
            return send(res, { status: 429, headers: { 'retry-after': String(Math.max(1, Math.ceil(resetMs / 1000))), ...rateHeaders }, body: limit.body ?? { error: 'rate limit exceeded' } });
          }
        }

        const matching = faults.filter((f) => f.left > 0 && (f.routeKey === '*' || f.routeKey === found?.route.key));
        // Faults still letting requests through count this one and stay out of the way.
        const skipping = matching.filter((f) => f.skip > 0);
        for (const f of skipping) f.skip--;
        const faultIndex = faults.findIndex((f) => matching.includes(f) && !skipping.includes(f));
        let lateBy = 0;
        if (faultIndex >= 0) {
          const entry = faults[faultIndex];
          entry.left--;
          if (entry.left === 0) faults.splice(faultIndex, 1);
          const fault = entry.fault;
          if ('hang' in fault) return; // closed by close()
          if ('reset' in fault) return req.socket.destroy();
          if ('answerAfterMs' in fault) lateBy = fault.answerAfterMs;
          else if ('delayMs' in fault) await new Promise((r) => setTimeout(r, fault.delayMs));
          else if ('until' in fault) await fault.until.catch(() => undefined);
          else return send(res, { status: fault.status, headers: fault.headers, body: fault.body ?? { error: `scripted ${fault.status}` } }, rateHeaders);
        }

        if (!found) return send(res, { status: 404, body: { error: `no fake route for ${method} ${url.pathname}` } }, rateHeaders);
        try {
          const reply = await found.route.handler({ ...recorded, params: found.params });
          if (lateBy > 0) await new Promise((r) => setTimeout(r, lateBy));
          if (res.destroyed) return;
          send(res, reply, rateHeaders);
        } catch (err) {
          send(res, { status: 500, body: { error: `fake route failed: ${err instanceof Error ? err.message : String(err)}` } });
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    server,
    requests,
    requestsTo: (key) => requests.filter((r) => r.route === key),
    route(key, handler) {
      const compiled = compile(key, handler);
      const at = routes.findIndex((r) => r.key === key);
      if (at >= 0) routes[at] = compiled;
      else routes.push(compiled);
    },
    fail(routeKey, fault, times = 1, after = 0) {
      faults.push({ routeKey, fault, left: times, skip: after });
    },
    rateLimit(next) {
      limit = next;
      windowStart = Date.now();
      windowCount = 0;
    },
    clearRequests() {
      requests.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
