import { jobCatalog } from '../../../core/src/jobs/catalog';
import { retryDelayMs } from '../../../core/src/jobs/define';
import { webhookDeliverJob } from '../../../core/src/webhooks/deliver-job';

const DAY_MS = 86_400_000;

describe('job catalogue', () => {
  it('declares each job type once with a payload schema, attempts, backoff and timeout', () => {
    const types = [...jobCatalog().values()];
    expect(types.map((t) => t.name)).toEqual(expect.arrayContaining(['webhook.deliver', 'rewards.release', 'jobs.cleanup']));
    for (const type of types) {
      expect(type.attempts).toBeGreaterThanOrEqual(1);
      expect(type.timeoutMs).toBeGreaterThan(0);
      expect(typeof type.payload.safeParse).toBe('function');
      expect(['fixed', 'exponential']).toContain(type.backoff.type);
    }
  });

  it('retries webhooks with exponential backoff and jitter for about 3 days', () => {
    const { backoff, attempts } = webhookDeliverJob;
    const delays = Array.from({ length: attempts - 1 }, (_, i) => retryDelayMs(backoff, i + 1, 'job_x'));
    expect(delays[0]).toBeGreaterThanOrEqual(12_000);
    expect(delays[0]).toBeLessThanOrEqual(18_000);
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(Math.max(...delays)).toBeLessThanOrEqual(6 * 3_600_000 * 1.2);
    const total = delays.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(2.3 * DAY_MS);
    expect(total).toBeLessThan(3.5 * DAY_MS);
  });

  it('derives the jitter from the job id, so the log and the runner agree on the next try', () => {
    const { backoff } = webhookDeliverJob;
    expect(retryDelayMs(backoff, 3, 'job_a')).toBe(retryDelayMs(backoff, 3, 'job_a'));
    const spread = new Set(Array.from({ length: 20 }, (_, i) => retryDelayMs(backoff, 3, `job_${i}`)));
    expect(spread.size).toBeGreaterThan(10);
    for (const d of spread) {
      expect(d).toBeGreaterThanOrEqual(60_000 * 0.8);
      expect(d).toBeLessThanOrEqual(60_000 * 1.2);
    }
  });
});
