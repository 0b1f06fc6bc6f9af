import { createHash } from 'node:crypto';
import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import type { ConnectorContext } from '../contract';
import { isNetworkError, vendorMessage, VendorError } from '../retry';
import { exchangeCode, refreshTokens, tokenExpiring } from './oauth';
import { observeRateLimit, takeBudget } from './rate-limit';
import { oauthCredentialsSchema, type HubSpotCredentials, type HubSpotSettings, type OAuthCredentials } from './settings';

export type HubSpotContext = ConnectorContext<HubSpotCredentials, HubSpotSettings>;

export const HUBSPOT_API = 'https://api.hubapi.com';
/** How long one HubSpot call may take before it counts as a network failure. */
export const hubspotTiming = { timeoutMs: 30_000 };

/** The official SDK, opened for one connector call, with every call going through `call`. */
export interface HubSpot {
  /** Run one SDK call: rate budget first, failures as VendorError (status, headers, HubSpot's message). */
  call<T>(fn: (client: Client) => Promise<T>): Promise<T>;
  /** A call the SDK has no typed API for (account info), through its generic `apiRequest`. */
  request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown>;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** The SDK's error (`ApiException`): status in `code`, the parsed body, the response headers. */
const apiExceptionSchema = z.object({ code: z.number().int(), body: z.unknown().optional(), headers: z.record(z.string(), z.unknown()).optional() });

function plainHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [key, value] of Object.entries(headers)) if (typeof value === 'string' || typeof value === 'number') out[key.toLowerCase()] = String(value);
  return out;
}

/** A failed SDK call as the shared retry decision reads it. */
export function toFailure(err: unknown): unknown {
  if (err instanceof VendorError) return err;
  const api = apiExceptionSchema.safeParse(err);
  if (api.success && api.data.code >= 100) {
    return new VendorError('hubspot', { status: api.data.code, headers: plainHeaders(api.data.headers), message: vendorMessage(api.data.body) });
  }
  if (isNetworkError(err)) return new VendorError('hubspot', { networkError: true, message: err instanceof Error ? err.message : String(err) });
  return err;
}

/** Race a call against the timeout and the job's abort signal (node-fetch under the SDK takes neither). */
function bounded<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new VendorError('hubspot', { networkError: true, message: `no answer within ${hubspotTiming.timeoutMs} ms` })), hubspotTiming.timeoutMs);
    const onAbort = () => reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();
    work.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

/** Where the SDK sends calls: `api_base_url` (a sandbox, the test fake) or api.hubapi.com. */
export function apiHost(ctx: Pick<HubSpotContext, 'apiBaseUrl'>): string {
  return trimSlash(ctx.apiBaseUrl ?? HUBSPOT_API);
}

/**
 * The access token to call with: a private app's own; for OAuth, an authorization code is first
 * exchanged and an access token about to expire refreshed, the new tokens saved through the context.
 */
async function accessToken(ctx: HubSpotContext): Promise<{ token: string; oauth: OAuthCredentials | null }> {
  const creds = ctx.credentials;
  if ('code' in creds) {
    const tokens = await exchangeCode(creds, apiHost(ctx), ctx.now());
    await ctx.saveCredentials(tokens);
    return { token: tokens.access_token ?? '', oauth: tokens };
  }
  const oauth = oauthCredentialsSchema.safeParse(creds);
  if (!oauth.success) return { token: 'access_token' in creds && creds.access_token ? creds.access_token : '', oauth: null };
  if (oauth.data.access_token && !tokenExpiring(oauth.data, ctx.now())) return { token: oauth.data.access_token, oauth: oauth.data };
  const next = await refreshTokens(oauth.data, apiHost(ctx), ctx.now());
  await ctx.saveCredentials(next);
  return { token: next.access_token ?? '', oauth: next };
}

/**
 * Open the SDK for one connector call. The SDK's own retry and limiter decorators stay off (they
 * are process-wide and would second-guess the shared retry decision); instead every call waits for
 * the rate budget learned from HubSpot's `X-HubSpot-RateLimit-*` headers, and every answer feeds it.
 */
export async function openHubSpot(ctx: HubSpotContext): Promise<HubSpot> {
  const host = apiHost(ctx);
  let { token, oauth } = await accessToken(ctx);
  const budgetKey = `${host}|${createHash('sha256').update(oauth ? oauth.refresh_token : token).digest('hex').slice(0, 16)}`;
  const middleware = [
    {
      pre: async (context: unknown) => {
        await takeBudget(budgetKey, ctx.signal);
        return context;
      },
      post: (context: unknown) => {
        const headers = z.object({ headers: z.record(z.string(), z.unknown()) }).safeParse(context);
        if (headers.success) observeRateLimit(budgetKey, plainHeaders(headers.data.headers));
        return context;
      },
    },
  ];
  const make = () => new Client({ accessToken: token, basePath: host, numberOfApiCallRetries: 0, middleware });
  let client = make();
  let refreshed = false;
  const call = async <T>(fn: (c: Client) => Promise<T>): Promise<T> => {
    try {
      return await bounded(fn(client), ctx.signal);
    } catch (raw) {
      const err = toFailure(raw);
      // An OAuth access token may be revoked before its expiry: refresh once and try again.
      if (err instanceof VendorError && err.outcome.status === 401 && oauth && !refreshed) {
        refreshed = true;
        oauth = await refreshTokens(oauth, host, ctx.now());
        await ctx.saveCredentials(oauth);
        token = oauth.access_token ?? '';
        client = make();
        return call(fn);
      }
      if (err instanceof VendorError) observeRateLimit(budgetKey, plainHeaders(err.outcome.headers));
      throw err;
    }
  };
  const request = async (method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> =>
    call(async (c) => {
      await takeBudget(budgetKey, ctx.signal);
      const res = await c.apiRequest({ method, path, ...(body === undefined ? {} : { body }) });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => (headers[name] = value));
      observeRateLimit(budgetKey, headers);
      const text = await res.text();
      let json: unknown = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        json = text;
      }
      if (res.status >= 400) throw new VendorError('hubspot', { status: res.status, headers, message: vendorMessage(json) });
      return json;
    });
  return { call: (fn) => call(fn), request };
}

/** True for a HubSpot answer of this status (404 on a record deleted meanwhile, 409 on a duplicate). */
export function isStatus(err: unknown, status: number): boolean {
  return err instanceof VendorError && err.outcome.status === status;
}
