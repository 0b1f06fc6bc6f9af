import { toVendorError, withRetries, type RetryDecision, type Vendor } from '@referloop/connectors';
import type { HubContext } from '../context';
import { ApiError } from '../lib/errors';
import { SecretBoxError } from '../lib/secret-box';
import { recordIntegrationError, type IntegrationRow } from './rows';

export interface VendorCallOptions {
  /** attempts inside this call (the job around it may retry again later); default 4 */
  maxAttempts?: number;
  /** longer waits asked by the vendor are not slept through here; default 30 s */
  maxInlineWaitMs?: number;
}

/**
 * Run one connector call under the shared retry decision: rate limits and server errors are
 * retried in place (honouring Retry-After and the rate-limit headers) within the limits given.
 */
export async function callVendor<T>(hub: HubContext, row: Pick<IntegrationRow, 'vendor' | 'id'>, what: string, fn: () => Promise<T>, opts: VendorCallOptions = {}): Promise<T> {
  return withRetries(fn, {
    vendor: row.vendor,
    maxAttempts: opts.maxAttempts ?? 4,
    maxInlineWaitMs: opts.maxInlineWaitMs ?? 30_000,
    onRetry: (decision, attempt) => hub.log.warn({ integration_id: row.id, vendor: row.vendor, what, attempt, delay_ms: decision.delayMs, reason: decision.reason }, 'vendor call will be retried'),
  });
}

/**
 * Record what a failed vendor call means for the integration and answer the decision:
 * 401/403 → status needs_reconnect; other failures → last_error. Errors that are not about the
 * vendor (a bug, the database) answer null and stay for the caller to throw.
 */
export async function settleVendorFailure(hub: HubContext, row: Pick<IntegrationRow, 'vendor' | 'id'>, err: unknown, attempt = 1): Promise<RetryDecision | null> {
  if (err instanceof SecretBoxError) {
    await recordIntegrationError(hub.db, row.id, 'error', `stored credentials cannot be read: ${err.message}`, hub.now());
    return { action: 'fail', reason: 'client_error', message: err.message };
  }
  const vendorErr = toVendorError(row.vendor, err);
  if (!vendorErr) return null;
  const decision = vendorErr.decide({ attempt, maxAttempts: Number.MAX_SAFE_INTEGER });
  if (decision.action === 'reconnect') {
    await recordIntegrationError(hub.db, row.id, 'needs_reconnect', `${row.vendor} refused the credentials (${decision.message}): reconnect the integration`, hub.now());
  } else {
    await recordIntegrationError(hub.db, row.id, null, decision.message, hub.now());
  }
  return decision;
}

/** A vendor failure during a request (connect, disconnect) as the API error the caller sees. */
export function vendorApiError(vendor: Vendor, err: unknown, credentialsPath = 'credentials'): ApiError | null {
  if (err instanceof SecretBoxError) return new ApiError('unprocessable', err.message);
  const vendorErr = toVendorError(vendor, err);
  if (!vendorErr) return null;
  const decision = vendorErr.decide({ attempt: 1 });
  if (decision.action === 'reconnect') {
    return new ApiError('validation_failed', `${vendor} rejected the credentials: ${decision.message}`, [{ path: credentialsPath, message: `rejected by ${vendor}` }]);
  }
  return new ApiError('vendor_error', `${vendor}: ${decision.message}`, undefined, { vendor });
}
