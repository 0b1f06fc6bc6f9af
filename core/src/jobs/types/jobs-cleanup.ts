import { z } from 'zod';
import { defineJob } from '../define';

/** Finished job rows are kept a day (done, handed to BullMQ) or a week (failed) for inspection. */
export const jobsCleanupJob = defineJob({
  name: 'jobs.cleanup',
  payload: z.object({}),
  attempts: 2,
  backoff: { type: 'fixed', delayMs: 60_000 },
  timeoutMs: 120_000,
  queue: 'maintenance',
  concurrency: 1,
  everyMs: 3_600_000,
  async run(_payload, { hub }) {
    await hub.db.query(
      `DELETE FROM jobs WHERE (status IN ('done', 'dispatched') AND finished_at < now() - interval '1 day')
         OR (status = 'failed' AND finished_at < now() - interval '7 days')`,
    );
  },
});
