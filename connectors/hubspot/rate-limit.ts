import { rateLimitWaitMs } from '../retry';

/**
 * HubSpot's burst limit, honoured before we are refused. Every answer carries
 * `X-HubSpot-RateLimit-Max` (calls allowed per interval) and `-Interval-Milliseconds` (the rolling
 * interval, `TEN_SECONDLY_ROLLING`): from them each token keeps a sliding window of its own calls
 * and the next call waits until it fits. What HubSpot says on top (`-Remaining: 0`, a 429) pauses
 * the token through the shared `rateLimitWaitMs`. Shared by every client in the process, per host
 * and credential, since they spend one budget.
 */
// https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details#rate-limits

interface Budget {
  max: number | null;
  intervalMs: number | null;
  /** send times inside the current interval, oldest first */
  sent: number[];
  pausedUntil: number;
}

const budgets = new Map<string, Budget>();

function budgetOf(key: string): Budget {
  let b = budgets.get(key);
  if (!b) {
    b = { max: null, intervalMs: null, sent: [], pausedUntil: 0 };
    budgets.set(key, b);
  }
  return b;
}

const numberOf = (value: string | undefined) => (value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : null);

/** Learn the limit from an answer's headers; a spent budget (or a 429's headers) pauses the token. */
export function observeRateLimit(key: string, headers: Record<string, string>, now = Date.now()): void {
  const b = budgetOf(key);
  const max = numberOf(headers['x-hubspot-ratelimit-max']);
  const interval = numberOf(headers['x-hubspot-ratelimit-interval-milliseconds']);
  if (max !== null && max > 0) b.max = max;
  if (interval !== null && interval > 0) b.intervalMs = interval;
  let wait = 0;
  // A refusal (429): Retry-After and the interval, whichever is longer, as the shared decision reads them.
  if (headers['retry-after'] !== undefined) wait = rateLimitWaitMs(headers, new Date(now), { limited: true });
  // Spent while our own window is not full: someone else (another process) spends this budget too.
  else if (numberOf(headers['x-hubspot-ratelimit-remaining']) === 0 && (b.max === null || recent(b, now) < b.max)) wait = b.intervalMs ?? 0;
  if (wait > 0) b.pausedUntil = Math.max(b.pausedUntil, now + wait);
}

/** Calls sent within the interval before `now`. */
function recent(b: Budget, now: number): number {
  if (b.intervalMs === null) return b.sent.length;
  const since = now - b.intervalMs;
  while (b.sent.length > 0 && b.sent[0] <= since) b.sent.shift();
  return b.sent.length;
}

/** How long the next call must wait (0 = now), without taking a slot. */
export function pendingWaitMs(key: string, now = Date.now()): number {
  const b = budgetOf(key);
  let wait = Math.max(0, b.pausedUntil - now);
  if (b.max !== null && b.intervalMs !== null) {
    if (recent(b, now) >= b.max) wait = Math.max(wait, b.sent[b.sent.length - b.max] + b.intervalMs - now + 1);
  }
  return wait;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** Wait until a call fits the budget, then take its slot. */
export async function takeBudget(key: string, signal?: AbortSignal): Promise<void> {
  for (let wait = pendingWaitMs(key); wait > 0; wait = pendingWaitMs(key)) await sleep(wait, signal);
  const b = budgetOf(key);
  // Until HubSpot has named its interval there is no window to keep sends in.
  if (b.intervalMs !== null) b.sent.push(Date.now());
}

/** Forget every budget (tests that reuse a token across fakes). */
export function resetBudgets(): void {
  budgets.clear();
}
