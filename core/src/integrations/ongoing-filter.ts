import type { Signal } from '@referloop/connectors';
import { z } from 'zod';
import type { JobContext } from '../jobs/define';
import type { OpenedIntegration } from './connector-context';
import { callVendor, settleVendorFailure } from './vendor-calls';

const storedFilterSchema = z.record(z.string(), z.unknown()).nullable();

/** Set a still-received event aside with the reason, so the apply step leaves it alone. */
async function setAside(ctx: JobContext, eventId: string, outcome: string): Promise<void> {
  await ctx.hub.db.query("UPDATE vendor_events SET status = 'ignored', outcome = $2, applied_at = $3 WHERE id = $1 AND status = 'received'", [eventId, outcome.slice(0, 1000), ctx.hub.now()]);
}

/**
 * An ongoing sync started with a filter (a saved Pipedrive filter) keeps that filter for as long as
 * it runs: the filter stays on its sync run, and every contact reported as created afterwards —
 * by webhook or by catch-up, the same event either way — is checked against it at the vendor
 * before it may be imported. A contact outside it is set aside with the reason. The check calls
 * the vendor, so it runs here, before the apply transaction; a failure worth retrying fails the
 * job, one that is not sets the contact aside too (importing it unchecked would break the filter).
 */
export async function screenByOngoingFilter(ctx: JobContext, opened: OpenedIntegration, eventId: string, signal: Signal): Promise<void> {
  if (signal.kind !== 'contact_created') return;
  const { row, connector } = opened;
  const ongoing = row.ongoing_sync;
  const check = connector.contactInFilter;
  if (!ongoing || !check) return;
  const [run] = await ctx.hub.db.query<{ filter: unknown }>('SELECT filter FROM sync_runs WHERE id = $1', [ongoing.sync_id]);
  const filter = storedFilterSchema.parse(run?.filter ?? null);
  if (!filter) return;
  try {
    const inside = await callVendor(ctx.hub, row, 'contactInFilter', () => check(opened.ctx, { filter, contact: signal.contact }));
    if (!inside) await setAside(ctx, eventId, `${signal.contact.object} ${signal.contact.id} is not in the ongoing sync's filter ${JSON.stringify(filter)}`);
  } catch (err) {
    const decision = await settleVendorFailure(ctx.hub, row, err, ctx.attempt);
    if (!decision) throw err;
    if (decision.action === 'retry' && ctx.attempt < ctx.maxAttempts) throw err;
    await setAside(ctx, eventId, `could not check the ongoing sync's filter: ${decision.message}`);
  }
}
