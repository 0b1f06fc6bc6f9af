import fs from 'node:fs';
import path from 'node:path';
import type express from 'express';
import type { Hub } from '../hub';
import { FormTokens } from './form-token';
import { mountJoin } from './join-routes';
import { RateLimiter } from './rate-limit';
import { mountShare } from './share-routes';

/** Sign-ups per client IP and window: a family or an office fits, a script does not. */
export const JOIN_RATE = { max: 20, windowMs: 10 * 60 * 1000 };
/** Copy/share beacons per client IP and minute. */
export const EVENT_RATE = { max: 60, windowMs: 60 * 1000 };

const EMBED_JS = fs.readFileSync(path.join(__dirname, 'client', 'embed.js'), 'utf8');

/**
 * The participant pages: `/join/{slug}` (join form), `/p/{token}` (share page) and `/embed.js`
 * (the customer-site half of the embed). Mounted before the JSON parser: they parse their own bodies.
 */
export function mountPages(app: express.Express, hub: Hub): void {
  const now = () => hub.now().getTime();
  mountJoin(app, { hub, tokens: new FormTokens(hub.ipSalt), limiter: new RateLimiter(JOIN_RATE.max, JOIN_RATE.windowMs, now) });
  mountShare(app, { hub, limiter: new RateLimiter(EVENT_RATE.max, EVENT_RATE.windowMs, now) });
  app.get('/embed.js', (_req, res) => {
    res.set({
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    res.send(EMBED_JS);
  });
}
