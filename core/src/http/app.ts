import express, { type NextFunction, type Request, type Response } from 'express';
import type { Hub } from '../hub';
import { ApiError } from '../lib/errors';
import { requireKey, principalOf } from './auth';
import { claimIdempotencyKey, requestHash, storeIdempotentResponse } from './idempotency';
import { buildOpenApi } from './openapi';
import type { OperationDoc } from './operation-doc';
import { errorHandler, notFoundHandler, sendProblem } from './problem';
import { Reply, type RouteSpec } from './route';
import { parseOrThrow } from './validation';

/** Mount one declared route: auth, validation, idempotency, then the handler. */
function mountRoute(app: express.Express, hub: Hub, spec: RouteSpec): void {
  const handle = async (req: Request, res: Response) => {
    const principal = principalOf(res);
    const workspaceId = principal?.workspaceId ?? '';
    const params = spec.params ? parseOrThrow(spec.params, req.params, 'params') : {};
    const query = spec.query ? parseOrThrow(spec.query, req.query, 'query') : {};
    // No body (or not JSON) reads as {}: required fields are then named in the validation error.
    const body = spec.body ? parseOrThrow(spec.body, req.body ?? {}, 'body') : undefined;

    // Streamed bodies (CSV uploads) cannot be hashed before they run; those routes are idempotent
    // by themselves (a re-upload changes nothing), so the key only applies to JSON bodies.
    const idemKey = spec.method === 'post' && principal && req.body !== undefined ? req.get('Idempotency-Key') : undefined;
    if (idemKey !== undefined) {
      if (idemKey.length === 0 || idemKey.length > 200) throw new ApiError('validation_failed', 'Idempotency-Key must be 1 to 200 characters');
      const claim = await claimIdempotencyKey(hub.db, workspaceId, idemKey, requestHash(req.method, req.path, req.body));
      if (claim.kind === 'replay') {
        res.status(claim.status).set('Idempotent-Replayed', 'true');
        return claim.body === null ? res.end() : res.json(claim.body);
      }
    }
    let status = spec.status ?? 200;
    let payload: unknown;
    try {
      const out = await spec.handler({ hub, workspaceId, principal, params, query, body, req, res });
      if (out instanceof Reply) {
        status = out.status;
        payload = out.body;
        res.set(out.headers);
      } else payload = out;
    } catch (err) {
      if (idemKey !== undefined) {
        const problem = err instanceof ApiError ? err : null;
        await storeIdempotentResponse(hub.db, workspaceId, idemKey, problem?.status ?? 500, problem?.toProblem() ?? null);
      }
      throw err;
    }
    if (idemKey !== undefined) await storeIdempotentResponse(hub.db, workspaceId, idemKey, status, payload ?? null);
    if (res.headersSent) return;
    if (payload === undefined) res.status(status).end();
    else res.status(status).json(payload);
  };
  app[spec.method](spec.path, requireKey(hub, spec.auth), handle);
}

export interface AppParts {
  /** Routes mounted before the JSON parser (vendor webhooks that need the raw body, pages). */
  early?: (app: express.Express) => void;
  routes: RouteSpec[];
  /** Paths served by their own handlers (in `early`), described for /openapi.json. */
  operations?: OperationDoc[];
}

/** The express app behind every route except the redirect hot path. */
export function buildApp(hub: Hub, parts: AppParts): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('json spaces', 0);
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });
  parts.early?.(app);
  app.use(express.json({ limit: hub.config.BODY_LIMIT, type: ['application/json', 'application/*+json'] }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await hub.db.query('SELECT 1');
      res.json({ status: 'ready', database: hub.db.kind });
    } catch {
      sendProblem(res, new ApiError('internal', 'The database is not reachable'));
    }
  });
  const openapi = buildOpenApi(parts.routes, hub.config.publicUrl, parts.operations);
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  for (const spec of parts.routes) mountRoute(app, hub, spec);
  app.use(notFoundHandler);
  app.use(errorHandler(hub.log));
  return app;
}
