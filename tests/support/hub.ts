import { randomBytes } from 'node:crypto';
import { createHub, type Hub } from '../../core/src/hub';
import { loadConfig } from '../../core/src/config';
import { createWorkspace } from '../../core/src/domain/workspaces';
import { createLinks } from '../../core/src/domain/links';
import { startBackground, type BackgroundOptions } from '../../core/src/jobs/background';

export type DbKind = 'pglite' | 'postgres';

export interface TestHubOptions {
  /** pglite (default) or postgres (needs DATABASE_URL; each hub gets its own schema). */
  db?: DbKind;
  /** Extra environment for the hub's configuration. */
  env?: Record<string, string>;
  /** A controllable clock. */
  now?: () => Date;
  /** Create a workspace with keys (default true). */
  workspace?: boolean;
  /** Run the relay and job runner in the hub (default true), so webhooks are delivered; or tune them. */
  worker?: boolean | BackgroundOptions;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestHub {
  url: string;
  secretKey: string;
  publishableKey: string;
  workspaceId: string;
  hub: Hub;
  /** Call the API with the workspace's secret key; JSON in, JSON (or text) out. */
  api<T = any>(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string>; key?: string | null }): Promise<ApiResponse<T>>;
  /** A second workspace with its own keys, for tenant-isolation tests. */
  newWorkspace(name?: string): Promise<{ workspaceId: string; secretKey: string; publishableKey: string }>;
  close(): Promise<void>;
}

/** The database kinds the store suites run on: PGlite always, Postgres too when DATABASE_URL is set. */
export function dbKinds(): DbKind[] {
  return process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** Start a real hub on 127.0.0.1 with a random port and a fresh database. */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const kind = options.db ?? 'pglite';
  if (kind === 'postgres' && !process.env.DATABASE_URL) throw new Error('postgres test hub needs DATABASE_URL');
  const env: NodeJS.ProcessEnv = {
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
    ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
    REFERLOOP_SECRET: randomBytes(32).toString('hex'),
    // Hubs that share a Redis (options.env REDIS_URL) must not take each other's jobs.
    REDIS_PREFIX: `rlt-${randomBytes(6).toString('hex')}`,
    ...(kind === 'postgres'
      ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: `t_${randomBytes(6).toString('hex')}` }
      : {}),
    ...options.env,
  };
  const hub = await createHub({ config: loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1' }), now: options.now, inMemory: true });
  const { port } = await hub.listen(0, '127.0.0.1');
  const url = `http://127.0.0.1:${port}`;
  // Links are built from PUBLIC_URL, known only now that the port is bound.
  hub.config = { ...hub.config, PORT: port, PUBLIC_URL: url, publicUrl: url };
  hub.links = createLinks(url);
  if (options.worker !== false) await startBackground(hub, { removeQueuesOnStop: true, ...(typeof options.worker === 'object' ? options.worker : {}) });

  let secretKey = '';
  let publishableKey = '';
  let workspaceId = '';
  if (options.workspace !== false) {
    const ws = await createWorkspace(hub.db, 'Test workspace');
    secretKey = ws.secret.key;
    publishableKey = ws.publishable.key;
    workspaceId = ws.workspace.id;
  }

  const api: TestHub['api'] = async (path, init = {}) => {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const key = init.key === undefined ? secretKey : init.key;
    if (key) headers.authorization = `Bearer ${key}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(url + path, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, body: type.includes('json') && text ? JSON.parse(text) : text };
  };

  return {
    url,
    secretKey,
    publishableKey,
    workspaceId,
    hub,
    api,
    async newWorkspace(name = 'Other workspace') {
      const ws = await createWorkspace(hub.db, name);
      return { workspaceId: ws.workspace.id, secretKey: ws.secret.key, publishableKey: ws.publishable.key };
    },
    async close() {
      await hub.close();
      if (kind === 'postgres' && env.DATABASE_SCHEMA) {
        const pg = await import('pg');
        const client = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${env.DATABASE_SCHEMA}" CASCADE`);
        await client.end();
      }
    },
  };
}
