import type { Request } from 'express';

/** One cookie of the request, or null. */
export function readCookie(req: Request, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The cookie that lets the browser that joined a campaign see its own share page again. */
export function memberCookieName(campaignId: string): string {
  return `rl_p_${campaignId}`;
}

/**
 * Set-Cookie for the member cookie. HttpOnly: page scripts never read the token. Over HTTPS it is
 * `SameSite=None; Secure; Partitioned` so an embedded form on the customer's site can remember its
 * visitor in that site's partition only; over plain HTTP (development) it is first-party Lax.
 */
export function memberCookie(campaignId: string, token: string, secure: boolean): string {
  const base = `${memberCookieName(campaignId)}=${token}; Max-Age=${365 * 86400}; Path=/; HttpOnly`;
  return secure ? `${base}; SameSite=None; Secure; Partitioned` : `${base}; SameSite=Lax`;
}
