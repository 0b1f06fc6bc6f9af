import { z } from 'zod';
import { releaseDueRewards } from '../../domain/rewards';
import { defineJob } from '../define';

/**
 * Release held rewards (`hold_days`) whose date has come. Recurring: every minute by default, so a
 * reward is released within a minute of its release date.
 */
export const rewardsReleaseJob = defineJob({
  name: 'rewards.release',
  payload: z.object({}),
  attempts: 3,
  backoff: { type: 'fixed', delayMs: 10_000 },
  timeoutMs: 60_000,
  queue: 'maintenance',
  concurrency: 1,
  everyMs: 60_000,
  async run(_payload, { hub, log }) {
    let released = 0;
    // Batches of 500: a backlog (a worker that was down for days) drains in one run.
    for (let n = await releaseDueRewards(hub); n > 0; n = await releaseDueRewards(hub)) released += n;
    if (released > 0) log.info({ released }, 'released held rewards');
  },
});
