import type { FakeReply, FakeRequest, RouteHandler } from '../toolkit';
import type { PipedriveState } from './state';

/** Pipedrive's answer envelope and error bodies, as documented. */
// https://pipedrive.readme.io/docs/core-api-concepts-responses · https://pipedrive.readme.io/docs/core-api-concepts-http-status-codes

export const ok = (data: unknown, additional_data?: unknown, status = 200): FakeReply => ({ status, body: { success: true, data, ...(additional_data === undefined ? {} : { additional_data }) } });

export const fail = (status: number, error: string, error_info?: string): FakeReply => ({
  status,
  body: { success: false, error, ...(error_info ? { error_info } : {}), data: null, additional_data: null },
});

export const bodyOf = (req: FakeRequest): Record<string, unknown> => (typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? { ...req.body } : {});

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const num = (v: unknown): number | null => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
};

/** A fixed-window rate limit like Pipedrive's, with its headers on every answer. */
export interface Budget {
  limit: number;
  windowMs: number;
  windowStart: number;
  used: number;
  /** 429s served so far */
  refused: number;
}

function budgetHeaders(budget: Budget, now: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(budget.limit),
    'x-ratelimit-remaining': String(Math.max(0, budget.limit - budget.used)),
    'x-ratelimit-reset': String(Math.max(1, Math.ceil((budget.windowStart + budget.windowMs - now) / 1000))),
  };
}

/**
 * Wrap an API route: the credential must be the company's API token (`x-api-token`) or a live
 * OAuth access token (Bearer); the rate-limit budget is spent and its headers sent.
 */
export function api(state: PipedriveState, budget: { current: Budget | null }, handler: RouteHandler): RouteHandler {
  return async (req) => {
    const bearer = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : null;
    const authed = req.headers['x-api-token'] === state.apiToken || (bearer !== null && state.accessTokens.has(bearer));
    if (!authed) return fail(401, 'unauthorized access', 'Please check developers.pipedrive.com for more information about Pipedrive API.');
    const b = budget.current;
    if (!b) return handler(req);
    const now = Date.now();
    if (now - b.windowStart >= b.windowMs) {
      b.windowStart = now;
      b.used = 0;
    }
    b.used++;
    if (b.used > b.limit) {
      b.refused++;
      const refused = fail(429, 'Request over limit');
      return { ...refused, headers: budgetHeaders(b, now) };
    }
    const reply = await handler(req);
    return { ...reply, headers: { ...budgetHeaders(b, now), ...(reply.headers ?? {}) } };
  };
}
