import { getConnector, coversCampaign } from '@referloop/connectors';
import { z } from 'zod';
import type { HubContext } from '../context';
import { changeReferralStatus } from '../domain/qualification';
import { defineJob } from '../jobs/define';
import type { IntegrationRow } from './rows';

const DAY_MS = 86_400_000;
/** Referrals closed per campaign and transaction; the job loops until none is left. */
const BATCH = 200;

/**
 * Close the spend windows that ended: a referral still pending when its campaign's spend window
 * (sign-up + within_days) is over becomes unqualified with reason `window_expired`. Spend after
 * the window never counts (spend.ts), so nothing can qualify it later. The clock is the hub's, so
 * tests move it. Returns how many referrals were closed.
 */
export async function closeExpiredSpendWindows(hub: HubContext): Promise<number> {
  const integrations = await hub.db.query<IntegrationRow>("SELECT * FROM integrations WHERE status IN ('connected', 'error') ORDER BY id");
  let closed = 0;
  for (const row of integrations) {
    const connector = await getConnector(row.vendor);
    const spendRule = connector?.spendRule;
    const settings = connector?.settingsSchema.safeParse(row.settings);
    if (!spendRule || !settings?.success) continue;
    const campaigns = await hub.db.query<{ id: string }>('SELECT id FROM campaigns WHERE workspace_id = $1 ORDER BY id', [row.workspace_id]);
    for (const { id: campaignId } of campaigns) {
      const rule = coversCampaign(settings.data, campaignId) ? spendRule(settings.data, campaignId) : null;
      if (!rule) continue;
      const cutoff = new Date(hub.now().getTime() - rule.within_days * DAY_MS);
      for (let n = BATCH; n === BATCH; ) {
        n = await hub.db.tx(async (q) => {
          const due = await q.query<{ id: string }>(
            `SELECT id FROM participants WHERE workspace_id = $1 AND campaign_id = $2 AND type = 'referred' AND referral_status = 'pending'
               AND created_at < $3 ORDER BY created_at LIMIT $4 FOR UPDATE SKIP LOCKED`,
            [row.workspace_id, campaignId, cutoff, BATCH],
          );
          let changed = 0;
          for (const p of due) {
            const outcome = await changeReferralStatus(q, hub, row.workspace_id, { participant_id: p.id }, 'unqualified', {
              source: row.vendor,
              reason: 'window_expired',
              idempotencyKey: `${row.vendor}:window_expired:${p.id}`,
            });
            if (outcome.changed) changed++;
          }
          // Only a full batch of real changes means more may wait (a row that did not change would come back forever).
          return changed;
        });
        closed += n;
      }
    }
  }
  return closed;
}

/** Recurring: closes ended spend windows every 10 minutes (tests shorten the period). */
export const spendWindowsJob = defineJob({
  name: 'spend.close_windows',
  payload: z.object({}),
  attempts: 3,
  backoff: { type: 'fixed', delayMs: 30_000 },
  timeoutMs: 5 * 60_000,
  queue: 'maintenance',
  concurrency: 1,
  everyMs: 10 * 60_000,
  async run(_payload, { hub, log }) {
    const closed = await closeExpiredSpendWindows(hub);
    if (closed > 0) log.info({ closed }, 'closed ended spend windows as unqualified');
  },
});
