import { Connection, type HttpRequest, type HttpRequestOptions, type HttpResponse } from 'jsforce';
import Transport from 'jsforce/lib/transport';
import { z } from 'zod';
import { isNetworkError, vendorMessage, VendorError } from '../retry';
import { loginUrlOf, passwordLogin, requestJwtToken, tokensFromCode, type SalesforceContext } from './auth';
import { API_VERSION, type SalesforceCredentials } from './settings';

/**
 * The official SDK (jsforce 3) opened for one connector call: a Connection on the API version we
 * name, with the credentials of whichever flow the integration connected with. jsforce's own
 * retries are switched off — the one shared retry decision (retry.ts) is what decides — and every
 * failure leaves here as a VendorError carrying the status, headers (`Sforce-Limit-Info`) and
 * Salesforce's message.
 */

/** How long one Salesforce call may take before it counts as a network failure. */
export const salesforceTiming = { timeoutMs: 30_000 };

export interface Salesforce {
  conn: Connection;
  /** Run SDK calls; their failures come out as VendorError. */
  run<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
  /** One SOQL query (the first batch of up to 2,000 records), records parsed with `record`. */
  query<T>(soql: string, record: z.ZodType<T>): Promise<{ totalSize: number; done: boolean; records: T[]; nextRecordsUrl?: string }>;
  /** The daily API usage the last answer reported (`Sforce-Limit-Info: api-usage=n/m`). */
  apiUsage(): { used: number; limit: number } | null;
}

const usagePattern = /api-usage=(\d+)\/(\d+)/;

/**
 * The latest `Sforce-Limit-Info` per org (instance URL): once the daily allowance is spent, calls
 * stop before they are made and fail as rate limited, so jobs and syncs wait instead of burning
 * requests the org's other integrations need. Seen usage is trusted for USAGE_MEMORY_MS.
 */
const usageByOrg = new Map<string, { used: number; limit: number; at: number }>();
const USAGE_MEMORY_MS = 10 * 60_000;

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function observeUsage(url: string, res: HttpResponse): void {
  const m = usagePattern.exec(res.headers['sforce-limit-info'] ?? '');
  if (m) usageByOrg.set(originOf(url), { used: Number(m[1]), limit: Number(m[2]), at: Date.now() });
}

/** A VendorError for an org whose daily allowance is spent, or null. */
function spentAllowance(instanceUrl: string): VendorError | null {
  const usage = usageByOrg.get(originOf(instanceUrl));
  if (!usage || usage.used < usage.limit || Date.now() - usage.at > USAGE_MEMORY_MS) return null;
  return new VendorError('salesforce', {
    status: 403,
    rateLimited: true,
    headers: { 'sforce-limit-info': `api-usage=${usage.used}/${usage.limit}` },
    message: `REQUEST_LIMIT_EXCEEDED: the org's daily API allowance is spent (api-usage=${usage.used}/${usage.limit}); calls wait`,
  });
}

/** What the transport saw of the last request: enough to describe a failure the SDK reports without it. */
interface Observed {
  url: string;
  response: HttpResponse | null;
}

/**
 * jsforce's HTTP transport with its built-in retries off and a timeout on, which remembers the
 * last request and answer: jsforce's errors carry neither the status nor the headers.
 */
class ObservedTransport extends Transport {
  last: Observed | null = null;

  override httpRequest(req: HttpRequest, options: HttpRequestOptions = {}) {
    const observed: Observed = { url: req.url, response: null };
    this.last = observed;
    const pending = super.httpRequest(req, { ...options, retry: { maxRetries: 0 }, timeout: salesforceTiming.timeoutMs });
    pending.then(
      (res) => {
        observed.response = res;
        observeUsage(req.url, res);
      },
      () => undefined,
    );
    return pending;
  }
}

const salesforceErrorSchema = z.array(z.object({ message: z.string(), errorCode: z.string().optional() })).min(1);
const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/** Salesforce's own words for a failed answer: `ERROR_CODE: message`, or the OAuth error. */
function describeBody(body: string): { message: string | undefined; code: string | undefined } {
  try {
    const value: unknown = JSON.parse(body);
    const rest = salesforceErrorSchema.safeParse(value);
    if (rest.success) return { message: `${rest.data[0].errorCode ? `${rest.data[0].errorCode}: ` : ''}${rest.data[0].message}`, code: rest.data[0].errorCode };
    const oauth = oauthErrorSchema.safeParse(value);
    if (oauth.success) return { message: `${oauth.data.error}${oauth.data.error_description ? `: ${oauth.data.error_description}` : ''}`, code: oauth.data.error };
  } catch {
    // not JSON: fall through to the generic reading
  }
  return { message: vendorMessage(body), code: undefined };
}

/** OAuth answers that mean "these credentials are no good": the integration must be reconnected. */
const refusedGrants = new Set(['invalid_grant', 'invalid_client', 'invalid_client_id', 'invalid_client_credentials', 'unauthorized_client', 'inactive_user', 'inactive_org']);

/** Whatever a jsforce call threw, as the shared retry decision reads it. */
export function toFailure(err: unknown, observed: Observed | null): unknown {
  if (err instanceof VendorError) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (message === 'Request Timeout' || isNetworkError(err)) return new VendorError('salesforce', { networkError: true, message });
  // jsforce wraps a failed refresh in a plain Error: the refresh token (or JWT key) was refused.
  if (message.startsWith('Unable to refresh session')) return new VendorError('salesforce', { status: 401, message });
  const res = observed?.response;
  if (!res || res.statusCode < 400) return err;
  const described = describeBody(res.body);
  const isTokenCall = observed.url.includes('/services/oauth2/token');
  return new VendorError('salesforce', {
    status: isTokenCall && described.code && refusedGrants.has(described.code) ? 401 : res.statusCode,
    headers: res.headers,
    message: described.message ?? message,
    // The daily API allowance is spent: Salesforce answers 403 REQUEST_LIMIT_EXCEEDED, a rate limit, not refused credentials.
    rateLimited: described.code === 'REQUEST_LIMIT_EXCEEDED',
  });
}

/**
 * Open jsforce for one connector call. Tokens obtained or refreshed on the way (code exchange,
 * JWT assertion, legacy login, refresh) are saved through the context before `run` returns.
 */
export async function openSalesforce(ctx: SalesforceContext): Promise<Salesforce> {
  const transport = new ObservedTransport();
  let saving: Promise<void> = Promise.resolve();
  const save = (next: SalesforceCredentials) => {
    saving = saving.then(() => ctx.saveCredentials(next));
    return saving;
  };
  const conn = await connect(ctx, transport, save);
  const run = async <T>(fn: (c: Connection) => Promise<T>): Promise<T> => {
    ctx.signal?.throwIfAborted();
    const spent = spentAllowance(conn.instanceUrl);
    if (spent) throw spent;
    try {
      const result = await fn(conn);
      await saving;
      return result;
    } catch (err) {
      await saving.catch(() => undefined);
      throw toFailure(err, transport.last);
    }
  };
  return {
    conn,
    run,
    async query(soql, record) {
      // https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_query.htm (GET /services/data/vXX.X/query?q=)
      const result = await run(async (c) => await c.query(soql, { autoFetch: false }));
      const page = z.object({ totalSize: z.number().int(), done: z.boolean(), records: z.array(z.unknown()), nextRecordsUrl: z.string().optional() }).parse(result);
      return { ...page, records: page.records.map((r) => record.parse(r)) };
    },
    apiUsage() {
      const header = transport.last?.response?.headers['sforce-limit-info'];
      const m = header ? usagePattern.exec(header) : null;
      return m ? { used: Number(m[1]), limit: Number(m[2]) } : null;
    },
  };
}

/** Build the Connection for the credentials' flow, getting a first access token where there is none yet. */
async function connect(ctx: SalesforceContext, transport: ObservedTransport, save: (next: SalesforceCredentials) => Promise<void>): Promise<Connection> {
  const creds = ctx.credentials;
  const loginUrl = loginUrlOf(ctx);
  const base = { version: API_VERSION, loginUrl };
  const withTransport = (conn: Connection) => {
    conn._transport = transport;
    conn.oauth2._transport = transport;
    return conn;
  };

  if ('code' in creds) {
    const conn = withTransport(new Connection({ ...base, oauth2: { clientId: creds.client_id, clientSecret: creds.client_secret, redirectUri: creds.redirect_uri, loginUrl } }));
    // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm (POST /services/oauth2/token grant_type=authorization_code)
    await runOnce(() => conn.authorize(creds.code), transport);
    const tokens = tokensFromCode(creds, { accessToken: conn.accessToken ?? '', instanceUrl: conn.instanceUrl, refreshToken: conn.refreshToken ?? null });
    await save(tokens);
    return reopenWithTokens(ctx, transport, save, tokens);
  }

  if ('private_key' in creds) {
    const refreshFn = (c: Connection, done: (err?: Error | null, token?: string) => void) => {
      requestJwtToken(c, creds, loginUrl, ctx.now()).then(
        (answer) => {
          c.instanceUrl = answer.instance_url;
          void save({ ...creds, instance_url: answer.instance_url, access_token: answer.access_token });
          done(null, answer.access_token);
        },
        (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
      );
    };
    const conn = withTransport(new Connection({ ...base, instanceUrl: creds.instance_url, accessToken: creds.access_token, oauth2: { clientId: creds.client_id, loginUrl }, refreshFn }));
    if (!creds.access_token || !creds.instance_url) {
      const answer = await runOnce(() => requestJwtToken(conn, creds, loginUrl, ctx.now()), transport);
      conn.instanceUrl = answer.instance_url;
      conn.accessToken = answer.access_token;
      await save({ ...creds, instance_url: answer.instance_url, access_token: answer.access_token });
    }
    return conn;
  }

  if ('password' in creds) {
    const oauth2 = creds.client_id && creds.client_secret ? { clientId: creds.client_id, clientSecret: creds.client_secret, loginUrl } : undefined;
    const relogin = (c: Connection, done: (err?: Error | null, token?: string) => void) => {
      passwordLogin(c, creds).then(
        () => {
          void save({ ...creds, instance_url: c.instanceUrl, access_token: c.accessToken ?? undefined });
          done(null, c.accessToken ?? undefined);
        },
        (err: unknown) => done(err instanceof Error ? err : new Error(String(err))),
      );
    };
    const conn = withTransport(new Connection({ ...base, oauth2, instanceUrl: creds.instance_url, accessToken: creds.access_token, refreshFn: relogin }));
    if (!creds.access_token || !creds.instance_url) {
      await runOnce(() => passwordLogin(conn, creds), transport);
      await save({ ...creds, instance_url: conn.instanceUrl, access_token: conn.accessToken ?? undefined });
    }
    return conn;
  }

  return reopenWithTokens(ctx, transport, save, creds);
}

/** A connection on web-server-flow tokens; jsforce refreshes an expired access token itself and we save it. */
function reopenWithTokens(ctx: SalesforceContext, transport: ObservedTransport, save: (next: SalesforceCredentials) => Promise<void>, creds: Extract<SalesforceCredentials, { access_token: string; instance_url: string }>): Connection {
  const loginUrl = loginUrlOf(ctx);
  const oauth2 = 'client_id' in creds && creds.client_id ? { clientId: creds.client_id, clientSecret: 'client_secret' in creds ? creds.client_secret : undefined, loginUrl } : undefined;
  const refreshToken = 'refresh_token' in creds ? creds.refresh_token : undefined;
  const conn = new Connection({ version: API_VERSION, loginUrl, instanceUrl: creds.instance_url, accessToken: creds.access_token, refreshToken: oauth2 ? refreshToken : undefined, oauth2 });
  conn._transport = transport;
  conn.oauth2._transport = transport;
  conn.on('refresh', (accessToken: string) => {
    // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_refresh_token_flow.htm
    void save({ ...creds, access_token: accessToken, instance_url: conn.instanceUrl });
  });
  return conn;
}

async function runOnce<T>(fn: () => Promise<T>, transport: ObservedTransport): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toFailure(err, transport.last);
  }
}

/** True for a Salesforce failure of this status. */
export function isStatus(err: unknown, status: number): boolean {
  return err instanceof VendorError && err.outcome.status === status;
}
