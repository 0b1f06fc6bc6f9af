import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { loadConfig, type Config } from './config';
import type { HubContext } from './context';
import { openDb, type Db } from './db';
import { migrate } from './db/migrate';
import { createLinks } from './domain/links';
import { buildApp, type AppParts } from './http/app';
import { apiRoutes } from './http/routes';
import { publicMounters, publicOperations } from './http/public';
import type { RouteSpec } from './http/route';
import { randomSecret } from './lib/crypto';
import { createLogger, type Logger } from './lib/logger';
import { openSecretBox } from './lib/secret-box';
import { ClickBuffer } from './redirect/click-buffer';
import { InlineClickWriter } from './redirect/click-writer';
import { CodeCache } from './redirect/code-cache';
import { handleRedirect } from './redirect/handler';

/** A running hub: the context every part shares, its HTTP app, and its lifecycle. */
export interface Hub extends HubContext {
  codeCache: CodeCache;
  clicks: ClickBuffer;
  routes: RouteSpec[];
  app: express.Express;
  /** Listen on PORT/HOST (or the given port); resolves with the bound address. */
  listen(port?: number, host?: string): Promise<{ port: number; url: string; server: http.Server }>;
  /** Run `fn` when the hub closes (background workers register their shutdown here). */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}

export interface HubOptions {
  config?: Config;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
  /** Clock for everything time-dependent (tests move it). */
  now?: () => Date;
  /** Keep the database in memory (tests) even when no DATABASE_URL is set. */
  inMemory?: boolean;
}

/** Read (or create on first start) a per-install setting. */
async function installSetting(db: Db, key: string, make: () => string): Promise<string> {
  await db.query('INSERT INTO install_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, make()]);
  const [row] = await db.query<{ value: string }>('SELECT value FROM install_settings WHERE key = $1', [key]);
  return row.value;
}

/** Open the database, migrate it, and assemble the hub (not listening yet). */
export async function createHub(options: HubOptions = {}): Promise<Hub> {
  const config = options.config ?? loadConfig(options.env);
  const log = options.log ?? createLogger(config.LOG_LEVEL);
  const db = await openDb({
    url: config.DATABASE_URL,
    schema: config.DATABASE_SCHEMA,
    dataDir: options.inMemory ? undefined : config.dataDir,
  });
  await migrate(db);
  const ipSalt = await installSetting(db, 'ip_salt', () => randomSecret(24));
  const closers: Array<() => Promise<void> | void> = [];
  const servers: http.Server[] = [];
  const codeCache = new CodeCache(db);
  const clicks = new ClickBuffer(new InlineClickWriter(db), log.child({ component: 'clicks' }));
  const now = options.now ?? (() => new Date());
  const secrets = openSecretBox(config, { inMemory: options.inMemory ?? false, log });

  const hub: Hub = {
    config,
    db,
    log,
    links: createLinks(config.publicUrl),
    ipSalt,
    now,
    secrets,
    codeCache,
    clicks,
    routes: [...apiRoutes],
    app: undefined as unknown as express.Express,
    bufferedClick: (id, workspaceId) => {
      const c = clicks.get(id);
      return c && c.workspace_id === workspaceId ? c : undefined;
    },
    async listen(port = config.PORT, host = config.HOST) {
      const redirectDeps = { codeCache, clicks, ipSalt, log, now };
      const server = http.createServer((req, res) => {
        if (req.method === 'GET' && req.url?.startsWith('/r/')) {
          handleRedirect(redirectDeps, req, res).catch((err: unknown) => {
            log.error({ err }, 'redirect failed');
            if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
            res.end('Something went wrong');
          });
          return;
        }
        hub.app(req, res);
      });
      server.keepAliveTimeout = 65_000;
      // CSV imports stream large uploads; Node's default 5-minute request limit would cut them off.
      server.requestTimeout = 60 * 60_000;
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const addr = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      return { port: addr.port, url: `http://${shownHost}:${addr.port}`, server };
    },
    onClose(fn) {
      closers.push(fn);
    },
    async close() {
      for (const server of servers) {
        server.closeIdleConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      for (const fn of closers.reverse()) await fn();
      await clicks.close();
      await db.close();
    },
  };
  hub.app = buildApp(hub, appParts(hub));
  return hub;
}

/** What the express app is built from; later parts (tracking, hooks, pages) add theirs here. */
function appParts(hub: Hub): AppParts {
  return { routes: hub.routes, operations: publicOperations, early: (app) => publicMounters.forEach((mount) => mount(app, hub)) };
}
