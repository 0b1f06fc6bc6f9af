import type express from 'express';
import type { Hub } from '../hub';
import { mountCookieAuth } from './cookie-auth';
import { mountSessionRoutes } from './session-routes';
import { mountStatic } from './static';

/**
 * The team dashboard at `/app`: its page and assets, the session sign-in, and the cookie
 * authentication that lets the page call the public `/v1` API (and nothing else).
 */
export function mountDashboard(app: express.Express, hub: Hub): void {
  mountSessionRoutes(app, hub);
  mountStatic(app);
  mountCookieAuth(app, hub);
}
