import { batchPushOutcomeSchema, VendorError, type PushInput, type PushResult } from '@referloop/connectors';
import { z } from 'zod';
import type { HubContext } from '../context';
import { defineJob } from '../jobs/define';
import type { OpenedIntegration } from './connector-context';
import { withIntegration } from './jobs';
import { pushParticipant } from './push';
import { callVendor } from './vendor-calls';

/**
 * Batched pushes for connectors with `pushParticipants` (HubSpot's batch upsert). Each new
 * participant still has its own durable `crm.push_batched` job (same dedupe key, retries and
 * failure handling as `crm.push`); what changes is the vendor call. A running job hands its input
 * to the gathering of its integration and waits: the gathering is sent as one call when it holds
 * `pushBatchSize` inputs or when the window closes, and each job then stores its own result. The
 * queue's concurrency lets a worker hold a full batch of waiting jobs, so 10,000 sign-ups make
 * about 100 calls instead of 10,000. A failed call fails every job in it, each retried on its own.
 */

/** How long the first input of a batch waits for others (tests and benches may shorten it). */
export const pushBatchTiming = { windowMs: 500 };

interface Waiting {
  input: PushInput;
  resolve(result: unknown): void;
  reject(err: unknown): void;
}

interface Gathering {
  hub: HubContext;
  opened: OpenedIntegration;
  items: Waiting[];
  timer: NodeJS.Timeout;
}

const gatherings = new Map<string, Gathering>();

async function send(key: string): Promise<void> {
  const batch = gatherings.get(key);
  if (!batch) return;
  gatherings.delete(key);
  clearTimeout(batch.timer);
  const { hub, opened, items } = batch;
  const { row, connector, ctx } = opened;
  const pushMany = connector.pushParticipants;
  try {
    if (!pushMany) throw new Error(`the ${row.vendor} connector has no batched push`);
    const outcomes = z.array(batchPushOutcomeSchema).length(items.length).parse(await callVendor(hub, row, 'pushParticipants', () => pushMany(ctx, items.map((i) => i.input))));
    items.forEach((item, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) item.resolve(outcome.result);
      else item.reject(new VendorError(row.vendor, { status: outcome.status, message: outcome.message }));
    });
  } catch (err) {
    for (const item of items) item.reject(err);
  }
}

/** Join the integration's current gathering; resolves with this input's result once the batch is sent. */
export function joinPushBatch(hub: HubContext, opened: OpenedIntegration, input: PushInput): Promise<PushResult | unknown> {
  // Reconfigured settings (updated_at) start a batch of their own: one call, one set of rules.
  const key = `${opened.row.id}:${opened.row.updated_at.getTime()}`;
  const size = Math.max(1, opened.connector.pushBatchSize ?? 100);
  return new Promise((resolve, reject) => {
    let batch = gatherings.get(key);
    if (!batch) {
      const timer = setTimeout(() => void send(key), pushBatchTiming.windowMs);
      batch = { hub, opened, items: [], timer };
      gatherings.set(key, batch);
    }
    batch.items.push({ input, resolve, reject });
    if (batch.items.length >= size) void send(key);
  });
}

/** Push a new participant through a batch-capable connector (`participant.created`). */
export const crmPushBatchedJob = defineJob({
  name: 'crm.push_batched',
  payload: z.object({ integration_id: z.string(), participant_id: z.string() }),
  attempts: 8,
  backoff: { type: 'exponential', delayMs: 5_000, maxDelayMs: 30 * 60_000, jitter: 0.2 },
  timeoutMs: 120_000,
  queue: 'crm_batches',
  // Jobs mostly wait here for their batch: a worker holds a full batch of them at once.
  concurrency: 100,
  async run(payload, ctx) {
    await withIntegration(ctx, payload.integration_id, async (opened) => {
      await pushParticipant(ctx.hub, opened, payload.participant_id, (input) => joinPushBatch(ctx.hub, opened, input));
    });
  },
});
