import Stripe from 'stripe';
import type { ConnectorContext } from '../contract';
import { isNetworkError, VendorError } from '../retry';
import type { StripeCredentials, StripeSettings } from './settings';

export type StripeContext = ConnectorContext<StripeCredentials, StripeSettings>;

/** How long one Stripe call may take before it counts as a network failure (tests shorten it). */
export const stripeTiming = { timeoutMs: 30_000 };

/**
 * The official SDK for one connector call. `api_base_url` moves it to another host (`host`,
 * `port`, `protocol`), as the SDK allows for stripe-mock and tests. The SDK's own retries are off
 * (it still retries a closed connection once, with the same idempotency key): the shared retry
 * decision (retry.ts) is the one that retries, from the status and headers in VendorError.
 */
export function openStripe(ctx: StripeContext): Stripe {
  const base = ctx.apiBaseUrl ? new URL(ctx.apiBaseUrl) : null;
  const protocol = base?.protocol === 'http:' ? 'http' : 'https';
  return new Stripe(ctx.credentials.secret_key, {
    maxNetworkRetries: 0,
    timeout: stripeTiming.timeoutMs,
    telemetry: false,
    appInfo: { name: 'Referloop', url: 'https://github.com/referloop/referloop' },
    ...(base ? { host: base.hostname, port: base.port || (protocol === 'http' ? 80 : 443), protocol } : {}),
  });
}

/** A failed Stripe call as the shared retry decision reads it: status, headers, Stripe's message. */
function toFailure(err: unknown): unknown {
  if (err instanceof Stripe.errors.StripeConnectionError) return new VendorError('stripe', { networkError: true, message: err.message });
  if (err instanceof Stripe.errors.StripeError && err.statusCode !== undefined) {
    return new VendorError('stripe', { status: err.statusCode, headers: err.headers, message: err.message });
  }
  if (isNetworkError(err)) return new VendorError('stripe', { networkError: true, message: err instanceof Error ? err.message : String(err) });
  return err;
}

/** Run one SDK call; what it throws comes out as a VendorError the shared retry decision reads. */
export async function stripeCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toFailure(err);
  }
}

/** True for a Stripe answer of this status (a 403 for a restricted key, a 404 for a deleted object). */
export function isStatus(err: unknown, status: number): boolean {
  return err instanceof VendorError && err.outcome.status === status;
}
