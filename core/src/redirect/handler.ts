import type { IncomingMessage, ServerResponse } from 'node:http';
import { isbot } from 'isbot';
import { normalizeCode } from '../lib/codes';
import { newId } from '../lib/ids';
import { hashIp } from '../lib/ip';
import type { Logger } from '../lib/logger';
import type { ClickBuffer } from './click-buffer';
import type { CodeCache } from './code-cache';
import { Memo } from './memo';

/** The cookie that carries the attributing click on the hub's own pages (join page). */
export const REF_COOKIE = 'rl_ref';

export interface RedirectDeps {
  codeCache: CodeCache;
  clicks: ClickBuffer;
  ipSalt: string;
  log: Logger;
  /** The hub's clock: a click is dated like the sign-up it may be attributed to. */
  now: () => Date;
}

const UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
const botVerdicts = new Memo<boolean>();
const ipHashes = new Memo<string | null>();
const NO_PARAMS = new URLSearchParams();

function clip(value: string | null | undefined, max: number): string | null {
  return value ? value.slice(0, max) : null;
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** `campaign_id.code.click_id` as stored in the rl_ref cookie, or null. */
export function readRefCookie(header: string | undefined): { campaignId: string; code: string; clickId: string } | null {
  const raw = cookieValue(header, REF_COOKIE);
  const parts = raw?.split('.') ?? [];
  if (parts.length !== 3) return null;
  return { campaignId: parts[0], code: parts[1], clickId: parts[2] };
}

function notFoundPage(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('<!doctype html><meta charset="utf-8"><title>Link not found</title><h1>This referral link does not exist</h1><p>Check the link you were sent.</p>');
}

/**
 * GET /r/{code}: the hot path. One cached lookup, a 302 to the campaign's destination with `ref`
 * and `rl_click` (replacing any the destination had, see destination.ts), a first-party cookie, and
 * the click handed to the write buffer — nothing else waits on the database.
 */
export async function handleRedirect(deps: RedirectDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const raw0 = req.url ?? '/';
  const q = raw0.indexOf('?');
  const path = q < 0 ? raw0 : raw0.slice(0, q);
  const params = q < 0 ? NO_PARAMS : new URLSearchParams(raw0.slice(q + 1));
  const raw = path.slice(3);
  let code: string;
  try {
    code = normalizeCode(decodeURIComponent(raw));
  } catch {
    return notFoundPage(res);
  }
  if (!code || code.length > 64 || code.includes('/')) return notFoundPage(res);
  const cached = deps.codeCache.cached(code);
  const target = cached === undefined ? await deps.codeCache.lookup(code) : cached;
  if (!target) return notFoundPage(res);

  if (!target.attributing) {
    // Paused, ended or draft campaign: the visitor still gets where they were going, unattributed.
    res.writeHead(302, { Location: target.destination, 'Cache-Control': 'no-store' });
    return void res.end();
  }

  const existing = readRefCookie(req.headers.cookie);
  const keepFirst = target.attribution === 'first_click' && existing?.campaignId === target.campaignId;
  const clickId = newId('click');
  const ua = req.headers['user-agent'];
  deps.clicks.add({
    id: clickId,
    workspace_id: target.workspaceId,
    campaign_id: target.campaignId,
    participant_id: target.participantId,
    channel: clip(params.get('src')?.toLowerCase().replace(/[^a-z0-9_-]/g, ''), 32),
    utm_source: clip(params.get('utm_source'), 200),
    utm_medium: clip(params.get('utm_medium'), 200),
    utm_campaign: clip(params.get('utm_campaign'), 200),
    utm_term: clip(params.get('utm_term'), 200),
    utm_content: clip(params.get('utm_content'), 200),
    referer: clip(req.headers.referer, 1000),
    landing_url: clip(target.destination, 2000),
    ip_hash: ipHashes.get(req.socket.remoteAddress ?? '', (ip) => hashIp(deps.ipSalt, ip)),
    user_agent: clip(ua, 512),
    is_bot: ua ? botVerdicts.get(ua, isbot) : true,
    created_at: deps.now(),
  });

  const attributedCode = keepFirst && existing ? existing.code : code;
  const attributedClick = keepFirst && existing ? existing.clickId : clickId;
  let extra = `ref=${encodeURIComponent(attributedCode)}&rl_click=${attributedClick}`;
  if (params !== NO_PARAMS) {
    for (const key of UTM) {
      const v = params.get(key);
      if (v && !target.splice.keeps.has(key)) extra += `&${key}=${encodeURIComponent(v)}`;
    }
  }
  const location = target.splice.before + extra + target.splice.after;
  const headers: Record<string, string> = { Location: location, 'Cache-Control': 'no-store', 'Referrer-Policy': 'strict-origin-when-cross-origin' };
  if (!keepFirst) {
    const cookie = encodeURIComponent(`${target.campaignId}.${code}.${clickId}`);
    headers['Set-Cookie'] = `${REF_COOKIE}=${cookie}; Max-Age=${target.cookieDays * 86400}; Path=/; SameSite=Lax; HttpOnly`;
  }
  res.writeHead(302, headers);
  res.end();
}
