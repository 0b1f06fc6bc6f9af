import { z } from 'zod';
import type { Vendor } from './contract';

/**
 * The one retry decision for every vendor response. Connectors report a failed vendor call as a
 * `VendorError` carrying the raw outcome (status, headers, message); core and the connectors'
 * own loops ask `decideRetry` what it means:
 *
 * | outcome                          | decision                                                  |
 * |----------------------------------|-----------------------------------------------------------|
 * | 429 (or `rateLimited`)           | retry after the longest wait the headers name, else backoff |
 * | 5xx, 408, network error, timeout | retry with exponential backoff (a Retry-After is honoured) |
 * | 401, 403                         | reconnect: the integration needs new credentials; no retry |
 * | other 4xx                        | fail with the vendor's message; no retry                   |
 * | attempts used up                 | fail                                                       |
 */

/** Headers as the official SDKs expose them: fetch Headers, axios/node objects, or nothing. */
export type HeaderSource = Headers | Record<string, string | string[] | number | undefined | null> | undefined | null;

/** What came back from one vendor call that did not succeed. */
export interface VendorOutcome {
  /** HTTP status; absent when no response arrived (network error, timeout) */
  status?: number;
  headers?: HeaderSource;
  /** the vendor's own words, from its error body */
  message?: string;
  /** set when no response arrived */
  networkError?: boolean;
  /**
   * The vendor refused the call for a rate or usage limit whatever the status says (Salesforce
   * answers a spent daily allowance with 403 REQUEST_LIMIT_EXCEEDED): decided as a 429.
   */
  rateLimited?: boolean;
}

export interface RetryPolicy {
  /** attempts made so far, the failed one included (1 after the first failure) */
  attempt: number;
  /** give up after this many attempts; default 6 */
  maxAttempts?: number;
  /** first backoff step; default 500 ms */
  baseDelayMs?: number;
  /** longest backoff step (rate-limit headers may ask for more, and are honoured); default 60 s */
  maxDelayMs?: number;
  now?: Date;
  /** jitter source, 0..1 (tests pass a constant) */
  random?: () => number;
}

export type RetryDecision =
  | { action: 'retry'; reason: 'rate_limited' | 'server_error' | 'network_error'; delayMs: number; message: string }
  | { action: 'reconnect'; status: number; message: string }
  | { action: 'fail'; reason: 'client_error' | 'attempts_exhausted'; status?: number; message: string };

/** Decide what a failed vendor call means. */
export function decideRetry(outcome: VendorOutcome, policy: RetryPolicy): RetryDecision {
  const now = policy.now ?? new Date();
  const status = outcome.status;
  const described = describe(outcome);
  const limited = status === 429 || outcome.rateLimited === true;
  if ((status === 401 || status === 403) && !limited) return { action: 'reconnect', status, message: described };

  let retry: Extract<RetryDecision, { action: 'retry' }> | null = null;
  const fromHeaders = rateLimitWaitMs(outcome.headers, now, { limited });
  if (limited) {
    retry = { action: 'retry', reason: 'rate_limited', delayMs: fromHeaders > 0 ? fromHeaders : backoffMs(policy), message: described };
  } else if (outcome.networkError || status === undefined || status === 408 || status >= 500) {
    const reason = outcome.networkError || status === undefined ? 'network_error' : 'server_error';
    retry = { action: 'retry', reason, delayMs: Math.max(fromHeaders, backoffMs(policy)), message: described };
  }
  if (!retry) return { action: 'fail', reason: 'client_error', status, message: described };
  if (policy.attempt >= (policy.maxAttempts ?? 6)) {
    return { action: 'fail', reason: 'attempts_exhausted', status, message: `${described} (gave up after ${policy.attempt} attempts)` };
  }
  return retry;
}

/** Exponential backoff with jitter: base·2^(attempt−1), capped, then scaled into [½, 1]. */
export function backoffMs(policy: Pick<RetryPolicy, 'attempt' | 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const base = policy.baseDelayMs ?? 500;
  const cap = policy.maxDelayMs ?? 60_000;
  const step = Math.min(cap, base * 2 ** Math.max(0, policy.attempt - 1));
  const jitter = 0.5 + 0.5 * (policy.random ?? Math.random)();
  return Math.round(step * jitter);
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof Headers !== 'undefined' && headers instanceof Headers) return headers.get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower || value === undefined || value === null) continue;
    return Array.isArray(value) ? value[0] : String(value);
  }
  return undefined;
}

const seconds = (value: string | undefined): number | null => {
  if (value === undefined || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : null;
};

/** How long to wait once Salesforce reports its daily API allowance spent (`Sforce-Limit-Info`). */
export const SALESFORCE_USAGE_WAIT_MS = 10 * 60_000;

/**
 * How long the vendor's headers ask us to wait, in ms (0 when they do not). Every header any of
 * our vendors sends is read and the longest wait wins:
 * - `Retry-After` (seconds or an HTTP date), RFC 9110;
 * - `X-RateLimit-Reset` / `RateLimit-Reset` when the remaining budget is 0 or the call was a 429
 *   (Pipedrive sends seconds until reset; values that look like epoch seconds are read as such);
 * - `X-HubSpot-RateLimit-Interval-Milliseconds` when `X-HubSpot-RateLimit-Remaining` is 0;
 * - `Sforce-Limit-Info: api-usage=n/m` when n ≥ m: Salesforce counts calls over a rolling 24 hours
 *   and names no reset time, so the wait is SALESFORCE_USAGE_WAIT_MS before looking again.
 */
export function rateLimitWaitMs(headers: HeaderSource, now: Date = new Date(), opts: { limited?: boolean } = {}): number {
  const waits: number[] = [];
  const retryAfter = header(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const s = seconds(retryAfter);
    if (s !== null) waits.push(s * 1000);
    else {
      const at = Date.parse(retryAfter);
      if (!Number.isNaN(at)) waits.push(at - now.getTime());
    }
  }
  for (const prefix of ['x-ratelimit', 'ratelimit', 'x-rate-limit']) {
    const remaining = seconds(header(headers, `${prefix}-remaining`));
    const exhausted = opts.limited || remaining === 0;
    const reset = seconds(header(headers, `${prefix}-reset`));
    if (!exhausted || reset === null) continue;
    // Epoch seconds are ~1.7e9; a delta in seconds is never that large.
    waits.push(reset > 1e9 ? reset * 1000 - now.getTime() : reset * 1000);
  }
  const hubspotRemaining = seconds(header(headers, 'x-hubspot-ratelimit-remaining'));
  const hubspotInterval = seconds(header(headers, 'x-hubspot-ratelimit-interval-milliseconds'));
  if ((opts.limited || hubspotRemaining === 0) && hubspotInterval !== null) waits.push(hubspotInterval);
  const salesforceUsage = /api-usage=(\d+)\/(\d+)/.exec(header(headers, 'sforce-limit-info') ?? '');
  if (salesforceUsage && Number(salesforceUsage[1]) >= Number(salesforceUsage[2])) waits.push(SALESFORCE_USAGE_WAIT_MS);
  return Math.max(0, Math.ceil(Math.max(0, ...waits)));
}

function describe(outcome: VendorOutcome): string {
  if (outcome.networkError || outcome.status === undefined) return outcome.message ? `network error: ${outcome.message}` : 'network error';
  return outcome.message ? `HTTP ${outcome.status}: ${outcome.message}` : `HTTP ${outcome.status}`;
}

/** A vendor call that did not succeed; core asks `decide` (via `decideRetry`) what to do about it. */
export class VendorError extends Error {
  constructor(
    readonly vendor: Vendor,
    readonly outcome: VendorOutcome,
  ) {
    super(`${vendor}: ${describe(outcome)}`);
    this.name = 'VendorError';
  }

  decide(policy: RetryPolicy): RetryDecision {
    return decideRetry(this.outcome, policy);
  }
}

const networkCodes = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
const errorShape = z.object({ code: z.unknown().optional(), name: z.unknown().optional(), message: z.unknown().optional(), cause: z.unknown().optional() });

/** True for errors that mean no response arrived: refused, reset, DNS, timeouts, aborted fetches. */
export function isNetworkError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const parsed = errorShape.safeParse(e);
    if (!parsed.success) return false;
    const { code, name, message, cause } = parsed.data;
    if (typeof code === 'string' && networkCodes.has(code)) return true;
    if (name === 'AbortError' || name === 'TimeoutError') return true;
    if (name === 'TypeError' && message === 'fetch failed') return true;
    e = cause;
  }
  return false;
}

const vendorBodySchema = z.union([
  z.object({ error: z.object({ message: z.string() }) }),
  z.object({ error_description: z.string() }),
  z.object({ message: z.string() }),
  z.object({ error: z.string() }),
  z.object({ errors: z.array(z.object({ message: z.string() })).min(1) }),
  z.array(z.object({ message: z.string() })).min(1),
]);

/** The human message in a vendor's error body, whatever shape the vendor uses. */
export function vendorMessage(body: unknown): string | undefined {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      return body.trim().slice(0, 500) || undefined;
    }
  }
  const parsed = vendorBodySchema.safeParse(value);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  if (Array.isArray(d)) return d[0].message;
  if ('errors' in d) return d.errors[0].message;
  if ('error_description' in d) return d.error_description;
  if ('message' in d) return d.message;
  return typeof d.error === 'string' ? d.error : d.error.message;
}

/** Turn anything a vendor call threw into a VendorError (unknown errors are not vendor errors). */
export function toVendorError(vendor: Vendor, err: unknown): VendorError | null {
  if (err instanceof VendorError) return err;
  if (isNetworkError(err)) return new VendorError(vendor, { networkError: true, message: err instanceof Error ? err.message : String(err) });
  return null;
}

export interface RetryLoopOptions extends Omit<RetryPolicy, 'attempt' | 'now'> {
  vendor: Vendor;
  /** waits longer than this are not slept through inline: the error goes up so a job can reschedule */
  maxInlineWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => Date;
  onRetry?: (decision: Extract<RetryDecision, { action: 'retry' }>, attempt: number) => void;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Run one vendor call, retrying as `decideRetry` says. What is not retried (reconnect, fail, a
 * wait too long to sleep through) is thrown as the VendorError for the caller to act on.
 */
export async function withRetries<T>(fn: (attempt: number) => Promise<T>, opts: RetryLoopOptions): Promise<T> {
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const vendorErr = toVendorError(opts.vendor, err);
      if (!vendorErr) throw err;
      const decision = vendorErr.decide({ ...opts, attempt, now: opts.now?.() });
      if (decision.action !== 'retry' || decision.delayMs > (opts.maxInlineWaitMs ?? 30_000)) throw vendorErr;
      opts.onRetry?.(decision, attempt);
      await sleep(decision.delayMs);
    }
  }
}
