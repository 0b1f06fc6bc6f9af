import { getConnector, pollResultSchema } from '@referloop/connectors';
import { z } from 'zod';
import type { HubContext } from '../context';
import { defineJob } from '../jobs/define';
import { enqueue } from '../jobs/enqueue';
import type { OpenedIntegration } from './connector-context';
import { storeSignals } from './inbound';
import { withIntegration } from './jobs';
import type { IntegrationRow } from './rows';
import { callVendor } from './vendor-calls';

/**
 * The polling fallback for vendors that cannot (or were not set up to) send webhooks: a recurring
 * job offers each integration whose settings ask for polling one `crm.poll_integration` job per
 * interval; that job asks the connector what changed since the stored cursor and stores the
 * signals exactly as inbound webhooks are stored (deduped on their event ids, applied by the same
 * job), then the new cursor. A crash in between re-polls from the old cursor: the dedupe absorbs it.
 */

/**
 * Where an integration's cursor is kept: the install-wide key/value table, under a key naming the
 * connection, so a reconnection starts afresh instead of replaying what happened while disconnected.
 */
function cursorKey(row: Pick<IntegrationRow, 'id' | 'connected_at'>): string {
  return `integration:${row.id}:poll_cursor:${row.connected_at ? row.connected_at.getTime() : 0}`;
}

/** Ask the vendor what changed since the stored cursor; store the signals, then the new cursor. */
export async function pollIntegration(hub: HubContext, opened: OpenedIntegration): Promise<{ stored: number; duplicates: number }> {
  const { row, connector, ctx } = opened;
  const poll = connector.pollChanges;
  if (!poll || connector.pollIntervalMs?.(ctx.settings) == null) return { stored: 0, duplicates: 0 };
  const key = cursorKey(row);
  const [saved] = await hub.db.query<{ value: string }>('SELECT value FROM install_settings WHERE key = $1', [key]);
  const result = pollResultSchema.parse(await callVendor(hub, row, 'pollChanges', () => poll(ctx, { cursor: saved?.value ?? null })));
  const counts = await storeSignals(hub, row, result.signals);
  await hub.db.query('INSERT INTO install_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [key, result.cursor]);
  return counts;
}

/** Poll one integration's vendor for changes (offered by `crm.poll`). */
export const crmPollIntegrationJob = defineJob({
  name: 'crm.poll_integration',
  payload: z.object({ integration_id: z.string() }),
  attempts: 3,
  backoff: { type: 'exponential', delayMs: 10_000, maxDelayMs: 5 * 60_000, jitter: 0.2 },
  timeoutMs: 5 * 60_000,
  queue: 'integrations',
  async run(payload, ctx) {
    await withIntegration(ctx, payload.integration_id, async (opened) => {
      const { stored } = await pollIntegration(ctx.hub, opened);
      if (stored > 0) ctx.log.info({ integration_id: payload.integration_id, stored }, 'polled vendor changes');
    });
  },
});

/**
 * Recurring: offer each connected integration that polls its poll of the current interval. The
 * dedupe key names the interval, so however often this runs an integration is polled once per
 * interval, across every process.
 */
export const crmPollJob = defineJob({
  name: 'crm.poll',
  payload: z.object({}),
  attempts: 2,
  backoff: { type: 'fixed', delayMs: 5_000 },
  timeoutMs: 60_000,
  queue: 'maintenance',
  everyMs: 15_000,
  async run(_payload, { hub }) {
    const rows = await hub.db.query<IntegrationRow>("SELECT * FROM integrations WHERE status IN ('connected', 'error')");
    for (const row of rows) {
      const connector = await getConnector(row.vendor);
      if (!connector?.pollChanges || !connector.pollIntervalMs) continue;
      const settings = connector.settingsSchema.safeParse(row.settings);
      const every = settings.success ? connector.pollIntervalMs(settings.data) : null;
      if (!every) continue;
      const interval = Math.floor(Date.now() / every);
      await enqueue(hub.db, crmPollIntegrationJob, { integration_id: row.id }, { dedupeKey: `crm.poll:${row.id}:${every}:${interval}` });
    }
  },
});
