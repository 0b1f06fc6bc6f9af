import { ApiError } from '../lib/errors';
import { rewardIssueJob } from '../integrations/issue-reward';
import { integrationJobs } from '../integrations/jobs';
import { crmPollIntegrationJob, crmPollJob } from '../integrations/poll';
import { crmPushBatchedJob } from '../integrations/push-batch';
import { spendWindowsJob } from '../integrations/spend-windows';
import { webhookDeliverJob } from '../webhooks/deliver-job';
import type { JobType } from './define';
import { jobsCleanupJob } from './types/jobs-cleanup';
import { rewardsReleaseJob } from './types/rewards-release';

/**
 * Every job type the hub runs, declared once each (name, zod payload, attempts, backoff, timeout,
 * handler) with `defineJob` in its own module's file. To add types, declare them where they belong
 * and list them here — one line, e.g. `...integrationJobs` for `crm.push`, `vendor.event.apply` and
 * `sync.run`. The list is built on first use, not at import, so a job module may itself import
 * `enqueue` without an import cycle leaving an entry undefined.
 */
function declaredJobTypes(): JobType[] {
  return [webhookDeliverJob, rewardsReleaseJob, jobsCleanupJob, ...integrationJobs, crmPushBatchedJob, crmPollJob, crmPollIntegrationJob, rewardIssueJob, spendWindowsJob];
}

let byName: Map<string, JobType> | undefined;

/** The catalogue, keyed by job type name (a duplicate name is a programming error). */
export function jobCatalog(): ReadonlyMap<string, JobType> {
  if (!byName) {
    const map = new Map<string, JobType>();
    for (const type of declaredJobTypes()) {
      if (map.has(type.name)) throw new Error(`job type ${type.name} is declared twice`);
      map.set(type.name, type);
    }
    byName = map;
  }
  return byName;
}

/** Look a job type up by name; unknown names are a programming error, reported as such. */
export function findJobType(name: string): JobType {
  const type = jobCatalog().get(name);
  if (!type) throw new ApiError('internal', `unknown job type '${name}' (declare it and list it in core/src/jobs/catalog.ts)`);
  return type;
}
