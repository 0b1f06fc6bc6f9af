import { createHash } from 'node:crypto';
import axios, { AxiosError, AxiosHeaders, type AxiosInstance, type InternalAxiosRequestConfig } from 'axios';
import * as v1 from 'pipedrive/v1';
import * as v2 from 'pipedrive/v2';
import type { ConnectorContext } from '../contract';
import { isNetworkError, vendorMessage, VendorError } from '../retry';
import { exchangeCode, PIPEDRIVE_OAUTH_HOST, refreshTokens, tokenExpiring } from './oauth';
import { awaitBudget, observeRateLimit } from './rate-limit';
import { oauthCredentialsSchema, type OAuthCredentials, type PipedriveCredentials, type PipedriveSettings } from './settings';

export type PipedriveContext = ConnectorContext<PipedriveCredentials, PipedriveSettings>;

/** The official SDK's v1 and v2 APIs we call, all going through one HTTP client of ours. */
export interface Pipedrive {
  v1: {
    users: ReturnType<typeof v1.UsersApiFactory>;
    webhooks: ReturnType<typeof v1.WebhooksApiFactory>;
    leads: ReturnType<typeof v1.LeadsApiFactory>;
    personFields: ReturnType<typeof v1.PersonFieldsApiFactory>;
    dealFields: ReturnType<typeof v1.DealFieldsApiFactory>;
  };
  v2: {
    persons: ReturnType<typeof v2.PersonsApiFactory>;
    deals: ReturnType<typeof v2.DealsApiFactory>;
    pipelines: ReturnType<typeof v2.PipelinesApiFactory>;
    stages: ReturnType<typeof v2.StagesApiFactory>;
  };
  /** the API host calls go to (the OAuth `api_domain`, the test fake, or api.pipedrive.com) */
  host: string;
}

export const PIPEDRIVE_API_HOST = 'https://api.pipedrive.com';
/** How long one Pipedrive call may take before it counts as a network failure. */
export const pipedriveTiming = { timeoutMs: 30_000 };

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** Where OAuth token requests go: Pipedrive's OAuth server, or `api_base_url` (a sandbox, a fake). */
function oauthHost(ctx: PipedriveContext): string {
  return trimSlash(ctx.apiBaseUrl ?? PIPEDRIVE_OAUTH_HOST);
}

/**
 * Credentials ready for API calls: an authorization code is exchanged, an access token about to
 * expire is refreshed; either way the new tokens are saved through the context.
 */
async function usableCredentials(ctx: PipedriveContext): Promise<PipedriveCredentials> {
  const creds = ctx.credentials;
  if ('code' in creds) {
    const tokens = await exchangeCode(creds, oauthHost(ctx), ctx.now());
    await ctx.saveCredentials(tokens);
    return tokens;
  }
  if ('access_token' in creds && tokenExpiring(creds, ctx.now())) return refresh(ctx, creds);
  return creds;
}

async function refresh(ctx: PipedriveContext, creds: OAuthCredentials): Promise<OAuthCredentials> {
  const next = await refreshTokens(creds, oauthHost(ctx), ctx.now());
  await ctx.saveCredentials(next);
  return next;
}

/** A vendor failure as the shared retry decision reads it (status, rate-limit headers, Pipedrive's message). */
function toFailure(err: unknown): unknown {
  if (!(err instanceof AxiosError)) return err;
  if (err.code === AxiosError.ERR_CANCELED) return err;
  const res = err.response;
  if (!res) return isNetworkError(err) || err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' ? new VendorError('pipedrive', { networkError: true, message: err.message }) : err;
  return new VendorError('pipedrive', { status: res.status, headers: headersOf(res.headers), message: vendorMessage(res.data) });
}

/** An answer's headers as plain lower-case strings. */
function headersOf(raw: unknown): Record<string, string> {
  const headers = raw instanceof AxiosHeaders ? raw.toJSON(true) : raw;
  const out: Record<string, string> = {};
  if (typeof headers !== 'object' || headers === null) return out;
  for (const [key, value] of Object.entries(headers)) if (typeof value === 'string' || typeof value === 'number') out[key.toLowerCase()] = String(value);
  return out;
}

/**
 * Our HTTP client for the SDK. The SDK's own axios instance turns every error into the bare
 * response body, dropping the status and the rate-limit headers; this one keeps them: every answer
 * feeds the rate-limit budget, every failure becomes a VendorError with status and headers for
 * the shared retry decision. Successful answers are unwrapped to the body, as the SDK's typings expect.
 */
function httpClient(ctx: PipedriveContext, budgetKey: string, oauth: { current: OAuthCredentials } | null): AxiosInstance {
  const http = axios.create({ timeout: pipedriveTiming.timeoutMs });
  const retried = new WeakSet<InternalAxiosRequestConfig>();
  http.interceptors.request.use(async (config) => {
    await awaitBudget(budgetKey, ctx.signal);
    if (ctx.signal) config.signal = ctx.signal;
    // The SDK names itself from its own axios instance, which this one replaces.
    config.headers.set('User-Agent', 'Referloop (pipedrive SDK for Node.js)');
    return config;
  });
  http.interceptors.response.use(
    (res) => {
      observeRateLimit(budgetKey, headersOf(res.headers));
      return res.data;
    },
    async (err: unknown) => {
      if (err instanceof AxiosError && err.response) {
        observeRateLimit(budgetKey, headersOf(err.response.headers));
        // An OAuth access token may be revoked before its expiry: refresh once and try again.
        const config = err.config;
        if (err.response.status === 401 && oauth && config && !retried.has(config)) {
          retried.add(config);
          oauth.current = await refresh(ctx, oauth.current);
          config.headers.set('Authorization', `Bearer ${oauth.current.access_token}`);
          return http.request(config);
        }
      }
      throw toFailure(err);
    },
  );
  return http;
}

/** Open the SDK for one connector call. */
export async function openPipedrive(ctx: PipedriveContext): Promise<Pipedrive> {
  const creds = await usableCredentials(ctx);
  const oauthCreds = oauthCredentialsSchema.safeParse(creds);
  const oauth = oauthCreds.success ? { current: oauthCreds.data } : null;
  // With OAuth the company's own host from the token answer; `api_base_url` then only moves the OAuth server.
  const host = trimSlash(oauth ? oauth.current.api_domain : (ctx.apiBaseUrl ?? PIPEDRIVE_API_HOST));
  // One budget per company and app (OAuth) or token: refreshed tokens keep spending the same one.
  const secret = oauth ? oauth.current.client_id : 'api_token' in creds ? creds.api_token : '';
  const budgetKey = `${host}|${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
  const http = httpClient(ctx, budgetKey, oauth);
  const auth = oauth ? { accessToken: () => oauth.current.access_token } : { apiKey: 'api_token' in creds ? creds.api_token : '' };
  const config1 = new v1.Configuration({ ...auth, basePath: `${host}/api/v1` });
  const config2 = new v2.Configuration({ ...auth, basePath: `${host}/api/v2` });
  return {
    host,
    v1: {
      users: v1.UsersApiFactory(config1, undefined, http),
      webhooks: v1.WebhooksApiFactory(config1, undefined, http),
      leads: v1.LeadsApiFactory(config1, undefined, http),
      personFields: v1.PersonFieldsApiFactory(config1, undefined, http),
      dealFields: v1.DealFieldsApiFactory(config1, undefined, http),
    },
    v2: {
      persons: v2.PersonsApiFactory(config2, undefined, http),
      deals: v2.DealsApiFactory(config2, undefined, http),
      pipelines: v2.PipelinesApiFactory(config2, undefined, http),
      stages: v2.StagesApiFactory(config2, undefined, http),
    },
  };
}

/** True for a Pipedrive answer of this status (a 404 on a record that was deleted, …). */
export function isStatus(err: unknown, status: number): boolean {
  return err instanceof VendorError && err.outcome.status === status;
}
