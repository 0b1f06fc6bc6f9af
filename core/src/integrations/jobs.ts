import { z } from 'zod';
import { defineJob, PermanentJobError, type JobContext } from '../jobs/define';
import { applyVendorEvent } from './apply-event';
import { openIntegration, type OpenedIntegration } from './connector-context';
import { pushParticipant } from './push';
import { resolveVendorEvent } from './resolve-event';
import { findIntegrationById } from './rows';
import { failSync, runSync } from './sync-run';
import { settleVendorFailure } from './vendor-calls';
import { writeLinks } from './write-links';

/**
 * Run vendor work for an integration inside a job. What the shared retry decision says decides
 * the job's fate: retryable failures are thrown for the runner to retry with backoff; refused
 * credentials (the integration becomes needs_reconnect) and vendor 4xx end the job at once.
 */
export async function withIntegration(ctx: JobContext, integrationId: string, work: (opened: OpenedIntegration) => Promise<void>, onGiveUp?: (message: string) => Promise<void>): Promise<void> {
  const row = await findIntegrationById(ctx.hub.db, integrationId);
  if (!row || row.status === 'disconnected') return;
  if (row.status === 'needs_reconnect') {
    await onGiveUp?.('the integration needs to be reconnected');
    throw new PermanentJobError(`${row.vendor} needs to be reconnected`);
  }
  try {
    await work(await openIntegration(ctx.hub, row, ctx.signal));
  } catch (err) {
    const decision = await settleVendorFailure(ctx.hub, row, err, ctx.attempt);
    if (!decision) throw err;
    if (decision.action === 'retry' && ctx.attempt < ctx.maxAttempts) throw err;
    await onGiveUp?.(decision.message);
    throw new PermanentJobError(`${row.vendor}: ${decision.message}`);
  }
}

/** Push a new participant to one connected vendor (`participant.created`). */
export const crmPushJob = defineJob({
  name: 'crm.push',
  payload: z.object({ integration_id: z.string(), participant_id: z.string() }),
  attempts: 8,
  backoff: { type: 'exponential', delayMs: 5_000, maxDelayMs: 30 * 60_000, jitter: 0.2 },
  timeoutMs: 120_000,
  queue: 'integrations',
  concurrency: 5,
  async run(payload, ctx) {
    await withIntegration(ctx, payload.integration_id, async (opened) => {
      await pushParticipant(ctx.hub, opened, payload.participant_id);
    });
  },
});

/** Apply one stored vendor event (qualify, unqualify, spend, a record's CRM stage, contact created). */
export const vendorEventApplyJob = defineJob({
  name: 'vendor.event.apply',
  payload: z.object({ vendor_event_id: z.string() }),
  attempts: 6,
  backoff: { type: 'exponential', delayMs: 2_000, maxDelayMs: 10 * 60_000, jitter: 0.2 },
  timeoutMs: 60_000,
  queue: 'integrations',
  concurrency: 5,
  async run(payload, ctx) {
    try {
      await resolveVendorEvent(ctx, payload.vendor_event_id);
      const verdict = await applyVendorEvent(ctx.hub, payload.vendor_event_id);
      if (verdict) ctx.log.debug({ vendor_event_id: payload.vendor_event_id, status: verdict.status, outcome: verdict.outcome }, 'vendor event applied');
    } catch (err) {
      // Out of attempts: the event says why it was not applied instead of staying "received" for ever.
      if (err instanceof PermanentJobError || ctx.attempt >= ctx.maxAttempts) {
        await ctx.hub.db.query("UPDATE vendor_events SET status = 'ignored', outcome = $2, applied_at = $3 WHERE id = $1 AND status = 'received'", [
          payload.vendor_event_id,
          `failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1000),
          ctx.hub.now(),
        ]);
      }
      throw err;
    }
  },
});

/** Write referral links onto vendor contacts (contacts created while an ongoing sync runs). */
export const crmWriteLinksJob = defineJob({
  name: 'crm.write_links',
  payload: z.object({
    integration_id: z.string(),
    sync_id: z.string().nullable(),
    links: z.array(z.object({ contact_id: z.string(), participant_id: z.string(), code: z.string(), referral_link: z.string() })).min(1),
  }),
  attempts: 8,
  backoff: { type: 'exponential', delayMs: 5_000, maxDelayMs: 30 * 60_000, jitter: 0.2 },
  timeoutMs: 120_000,
  queue: 'integrations',
  concurrency: 5,
  async run(payload, ctx) {
    await withIntegration(ctx, payload.integration_id, async (opened) => {
      await writeLinks(ctx.hub, opened, payload.links, payload.sync_id);
    });
  },
});

/** Walk a vendor's contacts into imported participants (resumes from its cursor when re-run). */
export const syncRunJob = defineJob({
  name: 'sync.run',
  payload: z.object({ sync_id: z.string() }),
  attempts: 10,
  backoff: { type: 'exponential', delayMs: 10_000, maxDelayMs: 30 * 60_000, jitter: 0.2 },
  // Large contact bases take a while; the runner keeps the lease alive while the job runs.
  timeoutMs: 6 * 60 * 60_000,
  queue: 'syncs',
  concurrency: 2,
  async run(payload, ctx) {
    const [sync] = await ctx.hub.db.query<{ integration_id: string }>('SELECT integration_id FROM sync_runs WHERE id = $1', [payload.sync_id]);
    if (!sync) return;
    try {
      await withIntegration(
        ctx,
        sync.integration_id,
        async () => {
          const state = await runSync(ctx.hub, payload.sync_id, ctx.signal);
          ctx.log.info({ sync_id: payload.sync_id, state }, 'contact sync run ended');
        },
        (message) => failSync(ctx.hub, payload.sync_id, message),
      );
    } catch (err) {
      // Last attempt used up on an unexpected error: the run must not stay "running" forever.
      if (!(err instanceof PermanentJobError) && ctx.attempt >= ctx.maxAttempts) await failSync(ctx.hub, payload.sync_id, err instanceof Error ? err.message : String(err));
      throw err;
    }
  },
});

/** The integration framework's job types, listed once in `jobs/catalog.ts`. */
export const integrationJobs = [crmPushJob, vendorEventApplyJob, crmWriteLinksJob, syncRunJob];
