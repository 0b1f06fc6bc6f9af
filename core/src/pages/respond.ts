import type { NextFunction, Request, Response } from 'express';
import type { CampaignSettings } from '../domain/campaign-settings';
import type { Hub } from '../hub';
import { messageBody } from './join-page';
import { renderPage } from './layout';
import type { SafeHtml } from './html';
import { newNonce, setPageHeaders } from './security';

export interface PageReply {
  title: string;
  body: SafeHtml;
  page: 'join' | 'share' | 'message';
  embed: boolean;
  campaign?: { name: string; settings: CampaignSettings };
  /** Share pages: no referrer, no index, a beacon URL. */
  private?: boolean;
  eventsUrl?: string;
  headers?: Record<string, string>;
}

/** Render and send a public page with its security headers. */
export function sendPage(res: Response, status: number, r: PageReply): void {
  const nonce = newNonce();
  setPageHeaders(res, { nonce, embed: r.embed, allowedOrigins: r.campaign?.settings.allowedOrigins ?? [], private: r.private ?? false });
  if (r.headers) res.set(r.headers);
  const page = r.campaign?.settings.page;
  res.status(status).send(
    renderPage({
      title: r.title,
      nonce,
      embed: r.embed,
      brandColor: page?.brand_color,
      logoUrl: page?.logo_url,
      brandName: r.campaign?.name ?? 'Referloop',
      page: r.page,
      eventsUrl: r.eventsUrl,
      noindex: r.private,
      body: r.body,
    }),
  );
}

export function sendNotFound(res: Response, embed: boolean): void {
  sendPage(res, 404, {
    title: 'Page not found',
    page: 'message',
    embed,
    body: messageBody('This page does not exist', ['Check the link you were sent.']),
  });
}

/** True for `?embed=1`. */
export function isEmbed(req: Request): boolean {
  return req.query.embed === '1';
}

/** Page handlers answer errors with a page, not problem+json, and log what went wrong. */
export function pageHandler(hub: Hub, fn: (req: Request, res: Response) => Promise<void>) {
  return async (req: Request, res: Response, _next: NextFunction) => {
    try {
      await fn(req, res);
    } catch (err) {
      hub.log.error({ err, method: req.method, path: req.path.replace(/\/p\/[^/]+/, '/p/…') }, 'page failed');
      if (res.headersSent) return void res.end();
      sendPage(res, 500, {
        title: 'Something went wrong',
        page: 'message',
        embed: isEmbed(req),
        body: messageBody('Something went wrong on our side', ['Please try again in a moment.']),
      });
    }
  };
}
