import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for Make's API (`/api/v2/sdk/...`), the routes @makehq/sdk calls to manage a custom
 * app. It keeps apps and components in memory, names connections and webhooks itself (as Make does),
 * gives a created app a suffixed name (as Make does), checks the token, content types, JSON code bodies
 * and references, and records every request for the test to assert on.
 */
export interface RecordedCall {
  method: string;
  path: string;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string;
}

interface Component {
  name: string;
  label: string;
  type?: string;
  fields: Record<string, unknown>;
  sections: Record<string, string>;
}

interface App {
  name: string;
  version: number;
  profile: Record<string, unknown>;
  sections: Record<string, string>;
  connections: Map<string, Component>;
  webhooks: Map<string, Component>;
  modules: Map<string, Component>;
  rpcs: Map<string, Component>;
}

export interface FakeMakeApi {
  zone: string;
  calls: RecordedCall[];
  apps: Map<string, App>;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseJson(text: string): Record<string, unknown> {
  const v: unknown = JSON.parse(text);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, 'body must be a JSON object');
  return Object.fromEntries(Object.entries(v));
}

function str(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  if (typeof v !== 'string' || v === '') throw new HttpError(400, `${key} is required`);
  return v;
}

export async function startFakeMakeApi(token: string, suffix = 'k3x9p1'): Promise<FakeMakeApi> {
  const calls: RecordedCall[] = [];
  const apps = new Map<string, App>();
  const allConnections = new Map<string, Component>();
  const allWebhooks = new Map<string, Component>();

  const app = (name: string, version?: string): App => {
    const a = apps.get(name);
    if (!a || (version !== undefined && String(a.version) !== version)) throw new HttpError(404, `App ${name} not found`);
    return a;
  };
  const ownName = (prefix: string, taken: Map<string, Component>) => {
    let n = 1;
    while (taken.has(n === 1 ? prefix : `${prefix}${n}`)) n++;
    return n === 1 ? prefix : `${prefix}${n}`;
  };
  const jsonc = (call: RecordedCall): string => {
    if (call.contentType !== 'application/jsonc') throw new HttpError(415, 'code must be sent as application/jsonc');
    JSON.parse(call.body);
    return call.body;
  };
  const checkConnection = (name: unknown) => {
    if (name !== undefined && (typeof name !== 'string' || !allConnections.has(name))) throw new HttpError(400, `Unknown connection ${String(name)}`);
  };
  const component = (map: Map<string, Component>, name: string, what: string) => {
    const c = map.get(name);
    if (!c) throw new HttpError(404, `${what} ${name} not found`);
    return c;
  };
  const summary = (c: Component) => ({ name: c.name, label: c.label, ...(c.type ? { type: c.type } : {}), ...c.fields });

  function route(call: RecordedCall): unknown {
    const p = call.path.replace(/^\/api\/v2\/sdk\/apps/, '').split('/').filter(Boolean);
    const m = call.method;
    const body = () => parseJson(call.body);
    // /sdk/apps/connections/:name[/:section] and /sdk/apps/webhooks/:name[/:section]
    if (p[0] === 'connections' || p[0] === 'webhooks') {
      const map = p[0] === 'connections' ? allConnections : allWebhooks;
      const key = p[0] === 'connections' ? 'appConnection' : 'appWebhook';
      const c = component(map, p[1], p[0]);
      if (p.length === 2 && m === 'PATCH') {
        const b = body();
        checkConnection(b.connection);
        c.label = typeof b.label === 'string' ? b.label : c.label;
        if ('connection' in b) c.fields.connection = b.connection;
        return { [key]: summary(c) };
      }
      if (p.length === 3 && m === 'PUT' && p[2] === 'common') return (c.sections.common = JSON.stringify(body())), { changed: true };
      if (p.length === 3 && m === 'PUT') return (c.sections[p[2]] = jsonc(call)), { changed: true };
    }
    if (p.length === 0 && m === 'POST') {
      const b = body();
      const name = `${str(b, 'name')}-${suffix}`;
      if (apps.has(name)) throw new HttpError(409, 'App exists');
      str(b, 'label');
      str(b, 'audience');
      const created: App = { name, version: 1, profile: b, sections: {}, connections: new Map(), webhooks: new Map(), modules: new Map(), rpcs: new Map() };
      apps.set(name, created);
      return { app: { name, label: b.label, description: b.description ?? '', version: 1, theme: b.theme ?? '#000000', public: false, approved: false } };
    }
    // /sdk/apps/:app/connections and /sdk/apps/:app/webhooks (not versioned in Make's API)
    if (p.length === 2 && (p[1] === 'connections' || p[1] === 'webhooks')) {
      const a = app(p[0]);
      const own = p[1] === 'connections' ? a.connections : a.webhooks;
      const all = p[1] === 'connections' ? allConnections : allWebhooks;
      const key = p[1] === 'connections' ? 'appConnection' : 'appWebhook';
      if (m === 'GET') return { [p[1] === 'connections' ? 'appConnections' : 'appWebhooks']: [...own.values()].map(summary) };
      if (m === 'POST') {
        const b = body();
        const c: Component = { name: ownName(a.name, all), label: str(b, 'label'), type: str(b, 'type'), fields: {}, sections: {} };
        own.set(c.name, c);
        all.set(c.name, c);
        return { [key]: summary(c) };
      }
    }
    const a = app(p[0], p[1]);
    if (p.length === 2 && m === 'GET') return { app: { name: a.name, version: a.version, ...a.profile } };
    if (p.length === 2 && m === 'PATCH') return (a.profile = { ...a.profile, ...body() }), { app: { name: a.name, version: a.version, ...a.profile } };
    if (p.length === 3 && m === 'PUT' && (p[2] === 'base' || p[2] === 'groups')) return (a.sections[p[2]] = jsonc(call)), { changed: true };
    if (p.length === 3 && m === 'PUT' && p[2] === 'readme') {
      if (call.contentType !== 'text/markdown') throw new HttpError(415, 'readme must be text/markdown');
      return (a.sections.readme = call.body), { changed: true };
    }
    if (p.length === 3 && m === 'PUT' && p[2] === 'common') return (a.sections.common = JSON.stringify(body())), { changed: true };
    if (p[2] === 'modules' || p[2] === 'rpcs') {
      const map = p[2] === 'modules' ? a.modules : a.rpcs;
      const [listKey, key] = p[2] === 'modules' ? ['appModules', 'appModule'] : ['appRpcs', 'appRpc'];
      if (p.length === 3 && m === 'GET') return { [listKey]: [...map.values()].map(summary) };
      if (p.length === 3 && m === 'POST') {
        const b = body();
        const name = str(b, 'name');
        if (map.has(name)) throw new HttpError(409, `${name} exists`);
        checkConnection(b.connection);
        const fields: Record<string, unknown> = {};
        if (p[2] === 'modules') {
          if (typeof b.typeId !== 'number') throw new HttpError(400, 'typeId is required');
          if (b.typeId === 10 && (typeof b.webhook !== 'string' || !allWebhooks.has(b.webhook))) throw new HttpError(400, 'instant trigger needs an existing webhook');
          if (b.typeId === 12 && b.subtype !== 'Universal') throw new HttpError(400, 'subtype is required for universal modules');
          Object.assign(fields, { typeId: b.typeId, description: b.description, connection: b.connection ?? null, webhook: b.webhook ?? null, crud: b.crud ?? null });
        }
        const c: Component = { name, label: str(b, 'label'), fields, sections: {} };
        map.set(name, c);
        return { [key]: summary(c) };
      }
      const c = component(map, p[3], p[2]);
      if (p.length === 4 && m === 'PATCH') {
        const b = body();
        checkConnection(b.connection);
        Object.assign(c.fields, b);
        c.label = typeof b.label === 'string' ? b.label : c.label;
        return { [key]: summary(c) };
      }
      if (p.length === 5 && m === 'PUT') return (c.sections[p[4]] = jsonc(call)), { changed: true };
    }
    throw new HttpError(404, `No route ${m} ${call.path}`);
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const call: RecordedCall = {
        method: req.method ?? 'GET',
        path: url.pathname,
        contentType: req.headers['content-type']?.split(';')[0],
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      calls.push(call);
      let status = 200;
      let payload: unknown;
      try {
        if (call.authorization !== `Token ${token}`) throw new HttpError(401, 'Invalid access token.');
        payload = route(call);
      } catch (err) {
        status = err instanceof HttpError ? err.status : 400;
        payload = { message: err instanceof Error ? err.message : String(err), code: 'SC400' };
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { zone: `127.0.0.1:${port}`, calls, apps, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
