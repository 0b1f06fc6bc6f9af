// /app/session – the dashboard's sign-in (secret key → session cookie), who is signed in, sign-out
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { Hub } from '../hub';
import { authenticateKey, getWorkspace } from '../domain/workspaces';
import { ApiError } from '../lib/errors';
import { safeEqual } from '../lib/crypto';
import { RateLimiter } from '../pages/rate-limit';
import { isSameOrigin } from '../pages/security';
import { parseOrThrow } from '../http/validation';
import { clearedSessionCookie, CSRF_HEADER, sessionCookie, sessionIdOf } from './cookies';
import { closeSession, findSession, openSession, SESSION_TTL_MS, type DashboardSession } from './sessions';

/** Sign-in attempts per client IP and window: enough for typos, too few to guess keys. */
export const SIGN_IN_RATE = { max: 20, windowMs: 10 * 60 * 1000 };

const signInSchema = z.object({ key: z.string().trim().min(1).max(200) });

async function describe(hub: Hub, session: DashboardSession) {
  const ws = await getWorkspace(hub.db, session.principal.workspaceId);
  return {
    object: 'dashboard_session',
    workspace_id: session.principal.workspaceId,
    workspace_name: ws?.name ?? null,
    csrf_token: session.csrfToken,
    expires_at: session.expiresAt.toISOString(),
  };
}

function noStore(res: Response): void {
  res.set('Cache-Control', 'no-store');
}

export function mountSessionRoutes(app: express.Express, hub: Hub): void {
  const secure = hub.config.publicUrl.startsWith('https://');
  const limiter = new RateLimiter(SIGN_IN_RATE.max, SIGN_IN_RATE.windowMs, () => hub.now().getTime());
  // Browsers send Origin on every POST and DELETE; another site's page must not sign a visitor in or out.
  const sameOrigin = (req: Request) => {
    if (!isSameOrigin(req, hub.config.publicUrl)) throw new ApiError('forbidden', 'Sign-in and sign-out are accepted from the dashboard only');
  };

  app.post('/app/session', express.json({ limit: '4kb' }), async (req: Request, res: Response) => {
    noStore(res);
    sameOrigin(req);
    const decision = limiter.hit(req.ip ?? 'unknown');
    if (!decision.allowed) {
      res.set('Retry-After', String(decision.retryAfter));
      throw new ApiError('rate_limited', 'Too many sign-in attempts from this address; wait a few minutes');
    }
    const { key } = parseOrThrow(signInSchema, req.body ?? {}, 'body');
    const principal = await authenticateKey(hub.db, key);
    if (!principal) throw new ApiError('unauthorized', 'The API key is not valid or has been revoked', [{ path: 'key', message: 'not a valid key' }]);
    if (principal.kind !== 'secret') {
      throw new ApiError('forbidden', 'Sign in with a secret key (rl_sk_…); publishable keys only work with the tracking snippet', [
        { path: 'key', message: 'publishable keys cannot sign in' },
      ]);
    }
    const { id, session } = await openSession(hub.db, principal, hub.now());
    res.set('Set-Cookie', sessionCookie(id, SESSION_TTL_MS / 1000, secure));
    res.status(201).json(await describe(hub, session));
  });

  app.get('/app/session', async (req: Request, res: Response) => {
    noStore(res);
    const id = sessionIdOf(req);
    const session = id ? await findSession(hub.db, id, hub.now()) : null;
    if (!session) throw new ApiError('unauthorized', 'Not signed in to the dashboard');
    res.json(await describe(hub, session));
  });

  app.delete('/app/session', async (req: Request, res: Response) => {
    noStore(res);
    sameOrigin(req);
    const id = sessionIdOf(req);
    const session = id ? await findSession(hub.db, id, hub.now()) : null;
    if (id && session) {
      const sent = req.get(CSRF_HEADER) ?? '';
      if (!sent || !safeEqual(sent, session.csrfToken)) throw new ApiError('forbidden', `Sign-out needs the session's ${CSRF_HEADER} header`);
      await closeSession(hub.db, id);
    }
    res.set('Set-Cookie', clearedSessionCookie(secure));
    res.status(204).end();
  });
}
