import { signalSchema, type Signal } from '@referloop/connectors';
import type { JobContext } from '../jobs/define';
import { openIntegration, requireConnector, type OpenedIntegration } from './connector-context';
import { screenByOngoingFilter } from './ongoing-filter';
import { findIntegrationById } from './rows';
import { callVendor, settleVendorFailure } from './vendor-calls';

/**
 * Let the connector complete a received vendor event before it is applied (HubSpot: a deal's
 * associated contacts, a new contact's email), outside any transaction since it calls the vendor.
 * The completed signal replaces the stored one while the event is still `received`. A vendor
 * failure worth retrying fails the job for the runner to retry; one that is not (credentials
 * refused, attempts used up) leaves the signal as it came, for the apply step to judge. Then a
 * created contact is screened by the ongoing sync's filter (see ongoing-filter.ts).
 */
export async function resolveVendorEvent(ctx: JobContext, eventId: string): Promise<void> {
  const { hub } = ctx;
  const [event] = await hub.db.query<{ integration_id: string; signal: unknown; status: string }>('SELECT integration_id, signal, status FROM vendor_events WHERE id = $1', [eventId]);
  if (!event || event.status !== 'received') return;
  const row = await findIntegrationById(hub.db, event.integration_id);
  if (!row || row.status === 'disconnected' || row.status === 'needs_reconnect') return;
  const known = await requireConnector(row.vendor);
  if (!known.resolveSignal && !known.contactInFilter) return;
  const opened = await openIntegration(hub, row, ctx.signal);
  const signal = await completeSignal(ctx, opened, eventId, signalSchema.parse(event.signal));
  await screenByOngoingFilter(ctx, opened, eventId, signal);
}

/** The signal as the connector completes it (stored in place of the received one), or as it came. */
async function completeSignal(ctx: JobContext, opened: OpenedIntegration, eventId: string, signal: Signal): Promise<Signal> {
  const { hub } = ctx;
  const { row } = opened;
  const resolve = opened.connector.resolveSignal;
  if (!resolve) return signal;
  try {
    const resolved = await callVendor(hub, row, 'resolveSignal', () => resolve(opened.ctx, signal));
    if (resolved === null) return signal;
    const completed = signalSchema.parse(resolved);
    await hub.db.query("UPDATE vendor_events SET signal = $2::jsonb WHERE id = $1 AND status = 'received'", [eventId, JSON.stringify(completed)]);
    return completed;
  } catch (err) {
    const decision = await settleVendorFailure(hub, row, err, ctx.attempt);
    if (!decision) throw err;
    if (decision.action === 'retry' && ctx.attempt < ctx.maxAttempts) throw err;
    ctx.log.warn({ vendor_event_id: eventId, reason: decision.message }, 'vendor event applied without completing it at the vendor');
    return signal;
  }
}
