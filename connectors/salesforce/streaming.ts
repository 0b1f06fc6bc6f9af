import type { Client } from 'faye';
import { StreamingExtension } from 'jsforce/lib/api/streaming';
import { z } from 'zod';
import type { PollResult, Signal } from '../contract';
import { VendorError } from '../retry';
import type { SalesforceContext } from './auth';
import { leadSignals, leadStageSignals, opportunitySignals, opportunityStageSignals, watchedObjects } from './changes';
import { openSalesforce } from './client';
import type { SalesforceSettings } from './settings';

/**
 * Change Data Capture through jsforce streaming: one CometD client per channel
 * (`/data/LeadChangeEvent`, `/data/OpportunityChangeEvent`), each subscribed with the Replay
 * extension from the replay id stored after the last delivered event (-1 = new events only), so a
 * restart receives what it missed within Salesforce's 72-hour retention. Events are translated and
 * delivered one at a time, in order; the cursor (replay id per channel) moves only once they are stored.
 */

export const LEAD_CHANNEL = '/data/LeadChangeEvent';
export const OPPORTUNITY_CHANNEL = '/data/OpportunityChangeEvent';

const positionsSchema = z.record(z.string(), z.number().int());

/** A change event as CometD delivers it (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_message_structure.htm). */
const changeEventSchema = z.object({
  payload: z
    .object({
      ChangeEventHeader: z.object({
        entityName: z.string(),
        recordIds: z.array(z.string()).min(1),
        changeType: z.string(),
        changedFields: z.array(z.string()).default([]),
        commitTimestamp: z.number(),
      }),
    })
    .catchall(z.unknown()),
  event: z.object({ replayId: z.number().int() }),
});
type ChangeEvent = z.infer<typeof changeEventSchema>;

const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** The signals one change event carries: per record it names whose Status or StageName changed, the rule signals and its stage. */
export function changeEventSignals(settings: SalesforceSettings, event: ChangeEvent): Signal[] {
  const { ChangeEventHeader: header, ...fields } = event.payload;
  // Gap and overflow events name no values: the polling fallback (or the next change) covers them.
  if (!['CREATE', 'UPDATE', 'UNDELETE'].includes(header.changeType)) return [];
  const occurredAt = new Date(header.commitTimestamp).toISOString();
  const signals: Signal[] = [];
  for (const id of header.recordIds) {
    const meta = { eventId: `cdc:${header.entityName}:${event.event.replayId}:${id}`, occurredAt };
    if (header.entityName === 'Lead' && (header.changeType !== 'UPDATE' || header.changedFields.includes('Status'))) {
      const code = settings.referral_code_field ? text(fields[settings.referral_code_field]) : null;
      const change = { id, status: text(fields.Status), email: text(fields.Email), referral_code: code };
      signals.push(...leadSignals(settings, change, meta), ...leadStageSignals(change, meta));
    }
    if (header.entityName === 'Opportunity' && (header.changeType !== 'UPDATE' || header.changedFields.includes('StageName'))) {
      const code = settings.opportunity_referral_code_field ? text(fields[settings.opportunity_referral_code_field]) : null;
      const change = { id, stage: text(fields.StageName), referral_code: code };
      signals.push(...opportunitySignals(settings, change, meta), ...opportunityStageSignals(change, meta));
    }
  }
  return signals;
}

export function streamsChanges(settings: SalesforceSettings): boolean {
  const watch = watchedObjects(settings);
  return settings.detection === 'cdc' && (watch.lead || watch.opportunity);
}

const fayeErrorSchema = z.object({ code: z.number().optional(), message: z.string().optional() });

/** A refused subscription: CDC not enabled for the object, or the session not accepted. */
function subscribeFailure(channel: string, err: unknown): VendorError {
  const parsed = fayeErrorSchema.safeParse(err);
  const code = parsed.success ? parsed.data.code : undefined;
  const reason = parsed.success ? `${code ?? ''}${code ? '::' : ''}${parsed.data.message ?? ''}` : String(err);
  if (code === 401) return new VendorError('salesforce', { status: 401, message: `Salesforce refused the streaming session on ${channel} (${reason})` });
  const object = channel === LEAD_CHANNEL ? 'Lead' : 'Opportunity';
  return new VendorError('salesforce', {
    status: 400,
    message: `cannot subscribe to ${channel} (${reason}): select ${object} in Setup → Integrations → Change Data Capture, or set settings.detection to polling`,
  });
}

export async function streamChanges(ctx: SalesforceContext, input: { cursor: string | null; deliver(batch: PollResult): Promise<void> }): Promise<void> {
  const settings = ctx.settings;
  const watch = watchedObjects(settings);
  const channels = [...(watch.lead ? [LEAD_CHANNEL] : []), ...(watch.opportunity ? [OPPORTUNITY_CHANNEL] : [])];
  const positions = input.cursor ? positionsSchema.parse(JSON.parse(input.cursor)) : {};
  const abort = ctx.signal;
  const sf = await openSalesforce(ctx);
  // CometD cannot refresh a token: this REST call does (jsforce refreshes an expired one on its 401), and checks the session.
  await sf.query('SELECT Id FROM Organization LIMIT 1', z.object({ Id: z.string() }));

  await new Promise<void>((resolve, reject) => {
    const clients: Client[] = [];
    let settled = false;
    let queue: Promise<void> = Promise.resolve();
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      abort?.removeEventListener('abort', onAbort);
      for (const client of clients) client.disconnect();
      // What is being delivered is stored (or has failed) before the stream ends.
      void queue.then(() => (err === undefined ? resolve() : reject(err)));
    };
    const onAbort = () => finish();
    abort?.addEventListener('abort', onAbort, { once: true });
    if (abort?.aborted) return finish();

    for (const channel of channels) {
      // -1: only events from now on (https://developer.salesforce.com/docs/atlas.en-us.change_data_capture.meta/change_data_capture/cdc_replay.htm)
      const replay = new StreamingExtension.Replay(channel, positions[channel] ?? -1);
      const authFailure = new StreamingExtension.AuthFailure(() => finish(new Error(`Salesforce ended the streaming session on ${channel}: reopening it with a fresh token`)));
      // https://jsforce.github.io/jsforce/classes/api_streaming.Streaming.html#createClient (CometD at {instance}/cometd/62.0)
      const client = sf.conn.streaming.createClient([authFailure, replay]);
      clients.push(client);
      const onMessage = (message: unknown) => {
        queue = queue
          .then(async () => {
            if (settled) return;
            const parsed = changeEventSchema.safeParse(message);
            const replayId = parsed.success ? parsed.data.event.replayId : z.object({ event: z.object({ replayId: z.number().int() }) }).safeParse(message).data?.event.replayId;
            if (replayId === undefined) return;
            const signals = parsed.success ? changeEventSignals(settings, parsed.data) : [];
            await input.deliver({ signals, cursor: JSON.stringify({ ...positions, [channel]: replayId }) });
            positions[channel] = replayId;
          })
          .catch((err: unknown) => finish(err));
      };
      client.subscribe(channel, onMessage).then(undefined, (err: unknown) => finish(subscribeFailure(channel, err)));
    }
  });
}
