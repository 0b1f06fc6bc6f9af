import type express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Hub } from '../hub';
import { ApiError } from '../lib/errors';
import { safeEqual } from '../lib/crypto';
import { bearerKey } from '../http/auth';
import { sendProblem } from '../http/problem';
import { CSRF_HEADER, sessionIdOf } from './cookies';
import { findSession } from './sessions';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Lets the dashboard call the public API with its session cookie instead of a bearer key: the
 * session's principal is placed where `requireKey` looks first. A request that carries a key is
 * left alone (the key wins). Writes made with the cookie must echo the session's CSRF token in
 * `X-CSRF-Token`, or they are refused before any handler runs. The body is not touched.
 */
export function mountCookieAuth(app: express.Express, hub: Hub): void {
  app.use('/v1', async (req: Request, res: Response, next: NextFunction) => {
    const id = sessionIdOf(req);
    if (!id || bearerKey(req) !== null) return next();
    const session = await findSession(hub.db, id, hub.now());
    if (!session) return next();
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.get(CSRF_HEADER) ?? '';
      if (!sent || !safeEqual(sent, session.csrfToken)) {
        return sendProblem(res, new ApiError('forbidden', `A dashboard write needs the session's ${CSRF_HEADER} header; it was missing or wrong`));
      }
    }
    res.locals.principal = session.principal;
    next();
  });
}
