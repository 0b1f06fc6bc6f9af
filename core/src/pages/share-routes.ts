// GET /p/{token} – a participant's share page; POST /p/{token}/events – its copy and share beacons
import express from 'express';
import type { Hub } from '../hub';
import { ApiError } from '../lib/errors';
import { parseOrThrow } from '../http/validation';
import { pageParticipationSchema, recordParticipation } from './participation';
import type { RateLimiter } from './rate-limit';
import { isEmbed, pageHandler, sendNotFound, sendPage } from './respond';
import { isSameOrigin } from './security';
import { findByShareToken, loadShareData } from './share-data';
import { shareBody } from './share-page';

export interface ShareDeps {
  hub: Hub;
  limiter: RateLimiter;
}

export function mountShare(app: express.Express, deps: ShareDeps): void {
  const { hub } = deps;

  app.get(
    '/p/:token',
    pageHandler(hub, async (req, res) => {
      const token = String(req.params.token);
      const embed = isEmbed(req);
      const data = await loadShareData(hub.db, token);
      if (!data) return sendNotFound(res, embed);
      sendPage(res, 200, {
        title: `Your referral link – ${data.campaign.name}`,
        page: 'share',
        embed,
        private: true,
        campaign: { name: data.campaign.name, settings: data.settings },
        eventsUrl: `/p/${token}/events`,
        body: shareBody(data, hub.links),
      });
    }),
  );

  // The page's script sends JSON; a beacon may arrive as text/plain.
  const beacon = express.json({ limit: '1kb', type: ['application/json', 'text/plain'] });
  app.post('/p/:token/events', beacon, async (req, res) => {
    if (!isSameOrigin(req, hub.config.publicUrl)) throw new ApiError('forbidden', 'Participation events come from the share page itself');
    const rate = deps.limiter.hit(req.ip ?? 'unknown');
    if (!rate.allowed) {
      res.set('Retry-After', String(rate.retryAfter));
      throw new ApiError('rate_limited', 'Too many events from this address; try again shortly');
    }
    const event = parseOrThrow(pageParticipationSchema, req.body ?? {}, 'body');
    const participant = await findByShareToken(hub.db, String(req.params.token));
    if (!participant) throw new ApiError('not_found', 'No share page with this token');
    await recordParticipation(hub.db, hub, participant, event, 'share_page');
    res.set('Cache-Control', 'no-store').status(204).end();
  });
}
