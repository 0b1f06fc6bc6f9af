import { getConnector, issuedRewardSchema, type RewardToIssue } from '@referloop/connectors';
import { z } from 'zod';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { recordActivity } from '../domain/activities';
import { getCampaign } from '../domain/campaigns';
import { findParticipant } from '../domain/participant-queries';
import { emitRewardEvent } from '../domain/rewards';
import type { RewardRow } from '../domain/rows';
import type { EventRow } from '../events/envelope';
import { defineJob, PermanentJobError, type JobContext } from '../jobs/define';
import { enqueue } from '../jobs/enqueue';
import { openIntegration } from './connector-context';
import { findIntegrationById, type IntegrationRow } from './rows';
import { callVendor, settleVendorFailure } from './vendor-calls';
import { crmEntryOf } from './vendor-records';

const rewardEventSchema = z.object({ id: z.string(), campaign_id: z.string(), kind: z.string(), status: z.string() });

/**
 * The relay's fan-out for rewards paid through a vendor: a reward that becomes `approved` (at
 * creation, by a person, or when its hold ends) gets one `reward.issue` job for the first connected
 * integration that issues that campaign's rewards of that kind. The dedupe key makes a reward issued
 * by at most one job, however often its events are relayed.
 */
export async function fanOutToRewardIssuers(q: Queryable, events: EventRow[]): Promise<void> {
  const approved = events.filter((e) => e.type === 'reward.approved' || e.type === 'reward.created');
  if (approved.length === 0) return;
  const workspaces = [...new Set(approved.map((e) => e.workspace_id))];
  const integrations = await q.query<IntegrationRow>("SELECT * FROM integrations WHERE workspace_id = ANY($1::text[]) AND status IN ('connected', 'error') ORDER BY vendor", [workspaces]);
  if (integrations.length === 0) return;
  for (const event of approved) {
    const reward = rewardEventSchema.safeParse(event.data);
    if (!reward.success || reward.data.status !== 'approved') continue;
    for (const row of integrations) {
      if (row.workspace_id !== event.workspace_id) continue;
      const connector = await getConnector(row.vendor);
      const settings = connector?.settingsSchema.safeParse(row.settings);
      if (!connector?.issueReward || !settings?.success || !connector.issuesRewards?.(settings.data, reward.data.campaign_id, reward.data.kind)) continue;
      await enqueue(q, 'reward.issue', { integration_id: row.id, reward_id: reward.data.id }, { dedupeKey: `reward.issue:${reward.data.id}` });
      break;
    }
  }
}

async function recordRewardError(hub: HubContext, rewardId: string, message: string): Promise<void> {
  await hub.db.query('UPDATE rewards SET last_error = $2, updated_at = $3 WHERE id = $1', [rewardId, message.slice(0, 1000), hub.now()]);
}

/** What the connector is told about a reward and its recipient. */
async function rewardToIssue(hub: HubContext, row: IntegrationRow, reward: RewardRow): Promise<RewardToIssue | null> {
  const recipient = await findParticipant(hub.db, reward.workspace_id, reward.participant_id);
  if (!recipient) return null;
  const name = [recipient.first_name, recipient.last_name].filter(Boolean).join(' ') || null;
  const ids = crmEntryOf(recipient.crm, row.vendor)?.ids ?? {};
  return {
    reward_id: reward.id,
    kind: reward.kind,
    amount: reward.amount,
    currency: reward.currency,
    percent_off: reward.percent_off,
    description: reward.description,
    recipient: { participant_id: recipient.id, email: recipient.email, name, vendor_ids: Object.keys(ids).length > 0 ? ids : null },
  };
}

/**
 * Issue one approved reward through the vendor. Success marks it `issued` with the vendor's
 * object id (and the code, for coupons); a vendor failure leaves it `approved` with the error on
 * the reward, retried as the shared retry decision says. The reward id is the vendor idempotency
 * key, so a retry after a lost answer finds the first result instead of paying twice. Rewards of
 * test-mode campaigns never reach the vendor.
 */
export async function issueRewardThroughVendor(ctx: JobContext, integrationId: string, rewardId: string): Promise<'issued' | 'skipped'> {
  const hub = ctx.hub;
  const row = await findIntegrationById(hub.db, integrationId);
  if (!row || row.status === 'disconnected') return 'skipped';
  const [reward] = await hub.db.query<RewardRow>('SELECT * FROM rewards WHERE id = $1 AND workspace_id = $2', [rewardId, row.workspace_id]);
  if (!reward || reward.status !== 'approved') return 'skipped';
  if ((await getCampaign(hub.db, reward.workspace_id, reward.campaign_id)).test_mode) return 'skipped';
  const input = await rewardToIssue(hub, row, reward);
  if (!input) return 'skipped';
  if (row.status === 'needs_reconnect') {
    await recordRewardError(hub, reward.id, `${row.vendor} needs to be reconnected before the reward can be issued`);
    throw new PermanentJobError(`${row.vendor} needs to be reconnected`);
  }
  let issued;
  try {
    const { connector, ctx: connectorCtx } = await openIntegration(hub, row, ctx.signal);
    const issue = connector.issueReward;
    if (!issue) return 'skipped';
    issued = issuedRewardSchema.parse(await callVendor(hub, row, 'issueReward', () => issue(connectorCtx, input)));
  } catch (err) {
    const decision = await settleVendorFailure(hub, row, err, ctx.attempt);
    const message = decision?.message ?? (err instanceof Error ? err.message : String(err));
    await recordRewardError(hub, reward.id, `${row.vendor}: ${message}`);
    if (!decision || (decision.action === 'retry' && ctx.attempt < ctx.maxAttempts)) throw err;
    throw new PermanentJobError(`${row.vendor}: ${message}`);
  }
  await markIssued(hub, row, reward.id, issued.external_id, issued.reward_code ?? null);
  return 'issued';
}

async function markIssued(hub: HubContext, row: IntegrationRow, rewardId: string, externalId: string, code: string | null): Promise<void> {
  await hub.db.tx(async (q) => {
    const [current] = await q.query<RewardRow>('SELECT * FROM rewards WHERE id = $1 FOR UPDATE', [rewardId]);
    if (current.status !== 'approved') {
      // Declined or marked issued by a person while the vendor call ran: keep their decision, say what the vendor did.
      await q.query('UPDATE rewards SET last_error = $2, updated_at = $3 WHERE id = $1', [rewardId, `issued at ${row.vendor} as ${externalId} while the reward became ${current.status}`, hub.now()]);
      return;
    }
    const [updated] = await q.query<RewardRow>(
      `UPDATE rewards SET status = 'issued', issued_at = $2, updated_at = $2, external_id = $3, reward_code = COALESCE($4, reward_code), last_error = NULL
       WHERE id = $1 RETURNING *`,
      [rewardId, hub.now(), externalId, code],
    );
    await recordActivity(q, hub, updated.workspace_id, updated.participant_id, 'reward', row.vendor, { reward_id: updated.id, action: 'issue', status: 'issued', external_id: externalId });
    await emitRewardEvent(q, hub, updated, 'reward.issued');
  });
}

/** Issue an approved reward through the vendor that pays the campaign's rewards (Stripe credits and coupons). */
export const rewardIssueJob = defineJob({
  name: 'reward.issue',
  payload: z.object({ integration_id: z.string(), reward_id: z.string() }),
  attempts: 6,
  backoff: { type: 'exponential', delayMs: 10_000, maxDelayMs: 30 * 60_000, jitter: 0.2 },
  timeoutMs: 120_000,
  queue: 'integrations',
  concurrency: 5,
  async run(payload, ctx) {
    const outcome = await issueRewardThroughVendor(ctx, payload.integration_id, payload.reward_id);
    ctx.log.info({ reward_id: payload.reward_id, outcome }, 'reward issue through vendor');
  },
});
