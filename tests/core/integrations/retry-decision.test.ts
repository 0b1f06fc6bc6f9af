import { backoffMs, decideRetry, rateLimitWaitMs, VendorError, vendorMessage, withRetries, type VendorOutcome } from '../../../connectors';

const now = new Date('2026-11-22T10:00:00.000Z');
const policy = { attempt: 1, now, random: () => 1, baseDelayMs: 500 };

describe('the shared retry decision', () => {
  const table: Array<[string, VendorOutcome, { action: string; delayMs?: number; reason?: string }]> = [
    ['429 with Retry-After in seconds waits that long', { status: 429, headers: { 'retry-after': '7' } }, { action: 'retry', reason: 'rate_limited', delayMs: 7000 }],
    ['429 with Retry-After as an HTTP date waits until then', { status: 429, headers: { 'Retry-After': 'Sun, 22 Nov 2026 10:00:30 GMT' } }, { action: 'retry', delayMs: 30_000 }],
    ['429 without headers backs off', { status: 429 }, { action: 'retry', reason: 'rate_limited', delayMs: 500 }],
    ['429 with Pipedrive reset seconds waits for the reset', { status: 429, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' } }, { action: 'retry', delayMs: 2000 }],
    ['429: the longest of Retry-After and the rate-limit headers wins', { status: 429, headers: { 'retry-after': '3', 'x-ratelimit-reset': '9', 'x-hubspot-ratelimit-interval-milliseconds': '10000' } }, { action: 'retry', delayMs: 10_000 }],
    ['429 with an epoch-seconds reset waits until that second', { status: 429, headers: { 'x-ratelimit-reset': String(now.getTime() / 1000 + 12) } }, { action: 'retry', delayMs: 12_000 }],
    ['500 retries with backoff', { status: 500 }, { action: 'retry', reason: 'server_error', delayMs: 500 }],
    ['503 with Retry-After waits at least that long', { status: 503, headers: { 'retry-after': '4' } }, { action: 'retry', reason: 'server_error', delayMs: 4000 }],
    ['408 retries', { status: 408 }, { action: 'retry', reason: 'server_error' }],
    ['a network error retries', { networkError: true, message: 'ECONNRESET' }, { action: 'retry', reason: 'network_error' }],
    ['401 asks for a reconnect, no retry', { status: 401, message: 'invalid token' }, { action: 'reconnect' }],
    ['403 asks for a reconnect, no retry', { status: 403 }, { action: 'reconnect' }],
    ['400 fails with the vendor message', { status: 400, message: 'email is invalid' }, { action: 'fail', reason: 'client_error' }],
    ['404 fails', { status: 404 }, { action: 'fail', reason: 'client_error' }],
    ['422 fails', { status: 422 }, { action: 'fail', reason: 'client_error' }],
  ];

  it.each(table)('%s', (_name, outcome, expected) => {
    const decision = decideRetry(outcome, policy);
    expect(decision).toMatchObject(expected);
  });

  it('keeps the vendor message in the decision', () => {
    expect(decideRetry({ status: 400, message: 'email is invalid' }, policy)).toEqual({ action: 'fail', reason: 'client_error', status: 400, message: 'HTTP 400: email is invalid' });
  });

  it('gives up when the attempts are used up', () => {
    expect(decideRetry({ status: 500 }, { ...policy, attempt: 6 })).toMatchObject({ action: 'fail', reason: 'attempts_exhausted' });
    expect(decideRetry({ status: 500 }, { ...policy, attempt: 2, maxAttempts: 2 })).toMatchObject({ action: 'fail', reason: 'attempts_exhausted' });
  });

  it('backs off exponentially with jitter, capped', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs({ attempt, baseDelayMs: 100, random: () => 1 }))).toEqual([100, 200, 400, 800]);
    expect(backoffMs({ attempt: 20, baseDelayMs: 100, maxDelayMs: 5000, random: () => 1 })).toBe(5000);
    expect(backoffMs({ attempt: 3, baseDelayMs: 100, random: () => 0 })).toBe(200);
  });

  it('reads rate-limit headers only when the budget is spent (or the call was a 429)', () => {
    expect(rateLimitWaitMs({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '2' }, now)).toBe(0);
    expect(rateLimitWaitMs({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' }, now)).toBe(2000);
    expect(rateLimitWaitMs(new Headers({ 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }), now)).toBe(10_000);
    expect(rateLimitWaitMs(undefined, now)).toBe(0);
  });

  it('finds the message in the vendor error bodies we meet', () => {
    expect(vendorMessage({ error: 'Unauthorized', error_info: 'x' })).toBe('Unauthorized');
    expect(vendorMessage({ error: { message: 'No such customer' } })).toBe('No such customer');
    expect(vendorMessage([{ message: 'INVALID_FIELD', errorCode: 'X' }])).toBe('INVALID_FIELD');
    expect(vendorMessage('{"message":"Property values were not valid"}')).toBe('Property values were not valid');
    expect(vendorMessage('<html>Bad gateway</html>')).toBe('<html>Bad gateway</html>');
  });

  it('retries in place as decided, then hands up what it will not retry', async () => {
    const slept: number[] = [];
    const outcomes: VendorOutcome[] = [{ status: 429, headers: { 'retry-after': '1' } }, { status: 502 }];
    const result = await withRetries(
      async () => {
        const next = outcomes.shift();
        if (next) throw new VendorError('hubspot', next);
        return 'ok';
      },
      { vendor: 'hubspot', sleep: async (ms) => void slept.push(ms), random: () => 1, baseDelayMs: 10 },
    );
    expect(result).toBe('ok');
    expect(slept).toEqual([1000, 20]);

    await expect(withRetries(async () => Promise.reject(new VendorError('hubspot', { status: 401 })), { vendor: 'hubspot', sleep: async () => undefined })).rejects.toMatchObject({
      outcome: { status: 401 },
    });
    // A wait longer than may be slept through inline goes up for a job to reschedule.
    await expect(
      withRetries(async () => Promise.reject(new VendorError('hubspot', { status: 429, headers: { 'retry-after': '3600' } })), { vendor: 'hubspot', sleep: async () => undefined, maxInlineWaitMs: 30_000 }),
    ).rejects.toBeInstanceOf(VendorError);
    // Unknown errors are not vendor errors: no retry.
    let calls = 0;
    await expect(withRetries(async () => (calls++, Promise.reject(new Error('bug'))), { vendor: 'hubspot', sleep: async () => undefined })).rejects.toThrow('bug');
    expect(calls).toBe(1);
  });
});
