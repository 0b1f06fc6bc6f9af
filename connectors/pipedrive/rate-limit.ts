import { rateLimitWaitMs, VendorError, type HeaderSource } from '../retry';

/**
 * Pipedrive's rate limits, honoured before we are refused: every answer carries
 * `x-ratelimit-remaining` / `x-ratelimit-reset` (seconds until the window resets). When the budget
 * is spent, the next call to the same company waits for the reset instead of earning a 429.
 * Shared by every client in the process, per company and credential, since they spend one budget.
 */
// https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting
const pausedUntil = new Map<string, number>();

/** Waits longer than this are not slept through: the call fails as a 429 and the job is rescheduled. */
export const maxProactiveWaitMs = 60_000;

/** Note what an answer's headers say about the budget left. */
export function observeRateLimit(key: string, headers: HeaderSource, now = Date.now()): void {
  const wait = rateLimitWaitMs(headers, new Date(now));
  if (wait > 0) pausedUntil.set(key, Math.max(pausedUntil.get(key) ?? 0, now + wait));
}

/** How long the next call must wait (0 when the budget is not spent). */
export function pendingWaitMs(key: string, now = Date.now()): number {
  const until = pausedUntil.get(key);
  if (until === undefined) return 0;
  if (until <= now) {
    pausedUntil.delete(key);
    return 0;
  }
  return until - now;
}

/** Sleep until the budget is back; a wait too long to sleep through fails like a 429 would. */
export async function awaitBudget(key: string, signal?: AbortSignal): Promise<void> {
  const wait = pendingWaitMs(key);
  if (wait === 0) return;
  if (wait > maxProactiveWaitMs) {
    throw new VendorError('pipedrive', { status: 429, headers: { 'retry-after': String(Math.ceil(wait / 1000)) }, message: 'rate limit budget spent until the window resets' });
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, wait);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
