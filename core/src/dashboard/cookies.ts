import type { Request } from 'express';
import { readCookie } from '../pages/cookies';

/** The dashboard's session cookie. */
export const SESSION_COOKIE = 'rl_dash';
/** The header every cookie-authenticated write must carry. */
export const CSRF_HEADER = 'X-CSRF-Token';

/** The session id the browser sent, or null. */
export function sessionIdOf(req: Request): string | null {
  return readCookie(req, SESSION_COOKIE);
}

/**
 * Set-Cookie of a session. HttpOnly keeps it from page scripts, SameSite=Strict keeps other sites
 * from making the browser send it, Secure whenever the hub is served over HTTPS.
 */
export function sessionCookie(id: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** Set-Cookie that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
