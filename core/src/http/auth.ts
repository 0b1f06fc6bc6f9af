import type { NextFunction, Request, Response } from 'express';
import { authenticateKey, type Principal } from '../domain/workspaces';
import { ApiError } from '../lib/errors';
import type { Hub } from '../hub';
import type { AuthMode } from './route';

/** The key presented as `Authorization: Bearer …`, if any. */
export function bearerKey(req: Request): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

/** Where earlier middleware (the dashboard session) may already have placed the caller. */
export function principalOf(res: Response): Principal | null {
  const p: unknown = res.locals.principal;
  return p && typeof p === 'object' && 'workspaceId' in p ? (p as Principal) : null;
}

/**
 * Authenticate a request for a route's auth mode. Secret routes accept only secret keys; a
 * publishable key can reach nothing but the public tracking routes.
 */
export function requireKey(hub: Hub, mode: AuthMode) {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (mode === 'none') return next();
    let principal = principalOf(res);
    if (!principal) {
      const key = bearerKey(req) ?? (mode === 'publishable' ? publishableFromRequest(req) : null);
      if (!key) throw new ApiError('unauthorized', 'Send your API key as "Authorization: Bearer rl_sk_…"');
      principal = await authenticateKey(hub.db, key);
      if (!principal) throw new ApiError('unauthorized', 'The API key is not valid or has been revoked');
    }
    if (mode === 'secret' && principal.kind !== 'secret') {
      throw new ApiError('forbidden', 'Publishable keys (rl_pk_…) only work with the tracking snippet; use a secret key (rl_sk_…)');
    }
    res.locals.principal = principal;
    next();
  };
}

function publishableFromRequest(req: Request): string | null {
  const body: unknown = req.body;
  if (body && typeof body === 'object' && 'key' in body && typeof body.key === 'string') return body.key;
  const q = req.query.key;
  return typeof q === 'string' ? q : null;
}
