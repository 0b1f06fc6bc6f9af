import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

/** A fresh CSP nonce for one response's inline style and script. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Security headers of a public page. Full pages may not be framed at all (clickjacking); the
 * embed variant may be framed only by the campaign's allowed origins (and the hub itself).
 */
export function setPageHeaders(res: Response, opts: { nonce: string; embed: boolean; allowedOrigins: string[]; private: boolean }): void {
  const ancestors = opts.embed ? ["'self'", ...opts.allowedOrigins].join(' ') : "'none'";
  res.set({
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': [
      "default-src 'none'",
      `script-src 'nonce-${opts.nonce}'`,
      `style-src 'nonce-${opts.nonce}'`,
      // Campaign logos live on the customer's own host; QR codes and logos may be data URLs.
      'img-src * data:',
      "connect-src 'self'",
      "form-action 'self'",
      "base-uri 'none'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
    'Cache-Control': 'no-store',
    // The share page's URL is its credential: it must not leak to the sites its buttons open.
    'Referrer-Policy': opts.private ? 'no-referrer' : 'same-origin',
  });
  if (!opts.embed) res.set('X-Frame-Options', 'DENY');
  if (opts.private) res.set('X-Robots-Tag', 'noindex, nofollow');
}

/**
 * True when a browser POST comes from the hub's own pages. Browsers send Origin on every POST;
 * a request without it (curl, server-side code) is left to the other defences.
 */
export function isSameOrigin(req: Request, publicUrl: string): boolean {
  const origin = req.get('origin');
  if (!origin) return true;
  if (origin === new URL(publicUrl).origin) return true;
  const host = req.get('host');
  return host !== undefined && origin === `${req.protocol}://${host}`;
}
