import type { Queryable } from '../db';
import type { HubContext } from '../context';
import { emitEvent } from '../events/emit';
import { ApiError } from '../lib/errors';
import { newId } from '../lib/ids';
import type { RewardRule } from '../schemas/campaign';
import type { RewardStatus } from '../schemas/reward';
import { recordActivity } from './activities';
import { findParticipant } from './participant-queries';
import type { CampaignRow, ParticipantView, RewardRow } from './rows';
import { toReferrerSummary, toReward } from './serialize';

const DAY_MS = 86_400_000;

/** Which referrer counts make a rule fire for the referral that was just qualified. */
function ruleFires(rule: RewardRule, qualifiedCount: number): boolean {
  switch (rule.trigger) {
    case 'each_qualified':
      return true;
    case 'every_nth':
      return qualifiedCount > 0 && qualifiedCount % (rule.n ?? 1) === 0;
    case 'milestone':
      return qualifiedCount === rule.n;
  }
}

/**
 * Create the rewards a qualification earns, in the transaction of that qualification.
 * Each (rule, earner, recipient) has a dedupe key, so a repeated qualification never pays twice.
 */
export async function createEarnedRewards(
  q: Queryable,
  ctx: HubContext,
  campaign: CampaignRow,
  rules: RewardRule[],
  referral: ParticipantView,
  referrer: ParticipantView,
): Promise<RewardRow[]> {
  const created: RewardRow[] = [];
  const now = ctx.now();
  for (const rule of rules) {
    if (!ruleFires(rule, referrer.qualified_count)) continue;
    const recipients = rule.recipient === 'both' ? (['referrer', 'friend'] as const) : ([rule.recipient] as const);
    for (const recipient of recipients) {
      const to = recipient === 'referrer' ? referrer : referral;
      // A milestone is reached once per referrer; the other rules pay once per qualified referral.
      const earner = rule.trigger === 'milestone' ? `milestone:${referrer.id}` : referral.id;
      const dedupeKey = `${rule.id}:${earner}:${recipient}`;
      const approval = rule.approval === 'manual' || campaign.review_mode === 'manual' ? 'manual' : 'auto';
      const releaseAt = rule.hold_days > 0 ? new Date(now.getTime() + rule.hold_days * DAY_MS) : null;
      const status: RewardStatus = approval === 'manual' ? 'pending' : releaseAt ? 'delayed' : 'approved';
      const rows = await q.query<RewardRow>(
        `INSERT INTO rewards (id, workspace_id, campaign_id, participant_id, referral_id, rule_id, recipient, kind, amount,
           currency, percent_off, description, status, approval, release_at, dedupe_key, created_at, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17)
         ON CONFLICT (workspace_id, dedupe_key) DO NOTHING RETURNING *`,
        [
          newId('reward'),
          campaign.workspace_id,
          campaign.id,
          to.id,
          referral.id,
          rule.id,
          recipient,
          rule.kind,
          rule.amount ?? null,
          rule.currency ?? null,
          rule.percent_off ?? null,
          rule.description ?? rule.name ?? null,
          status,
          approval,
          releaseAt,
          dedupeKey,
          now,
        ],
      );
      if (rows.length === 0) continue;
      const reward = rows[0];
      created.push(reward);
      await recordActivity(q, ctx, campaign.workspace_id, to.id, 'reward', 'rule', { reward_id: reward.id, status, rule_id: rule.id, referral_id: referral.id });
      if (to.id !== referral.id) {
        await recordActivity(q, ctx, campaign.workspace_id, referral.id, 'reward', 'rule', { reward_id: reward.id, status, recipient, participant_id: to.id });
      }
      await emitRewardEvent(q, ctx, reward, 'reward.created');
    }
  }
  return created;
}

/** Emit a reward event carrying the reward and the summary of the referrer behind it. */
export async function emitRewardEvent(
  q: Queryable,
  ctx: HubContext,
  reward: RewardRow,
  type: 'reward.created' | 'reward.approved' | 'reward.declined' | 'reward.issued',
): Promise<void> {
  const referral = await findParticipant(q, reward.workspace_id, reward.referral_id);
  const referrer = referral?.referrer_id ? await findParticipant(q, reward.workspace_id, referral.referrer_id) : null;
  await emitEvent(q, ctx, {
    workspaceId: reward.workspace_id,
    campaignId: reward.campaign_id,
    type,
    data: { ...toReward(reward), referrer: referrer ? toReferrerSummary(referrer, ctx.links) : null },
  });
}

/** Void the unpaid rewards a referral earned (its unqualification); issued ones stay paid. */
export async function voidRewardsOf(q: Queryable, ctx: HubContext, workspaceId: string, referralId: string, reason: string): Promise<RewardRow[]> {
  const rows = await q.query<RewardRow>(
    `UPDATE rewards SET status = 'declined', reason = $3, updated_at = $4, dedupe_key = dedupe_key || ':void:' || id
     WHERE workspace_id = $1 AND referral_id = $2 AND status IN ('pending', 'approved', 'delayed') RETURNING *`,
    [workspaceId, referralId, reason, ctx.now()],
  );
  for (const reward of rows) {
    await recordActivity(q, ctx, workspaceId, reward.participant_id, 'reward', 'unqualification', { reward_id: reward.id, status: 'declined', reason });
    await emitRewardEvent(q, ctx, reward, 'reward.declined');
  }
  return rows;
}

export type RewardAction = 'approve' | 'decline' | 'issue' | 'delay';

/** The review controls: which status each action may start from. */
const allowedFrom: Record<RewardAction, RewardStatus[]> = {
  approve: ['pending', 'delayed'],
  decline: ['pending', 'approved', 'delayed'],
  issue: ['approved'],
  delay: ['pending', 'approved', 'delayed'],
};

export interface RewardActionInput {
  reason?: string;
  external_id?: string;
  reward_code?: string;
  until?: Date;
}

/** Apply a review action to a reward; anything but a valid transition is a 409 that changes nothing. */
export async function applyRewardAction(
  q: Queryable,
  ctx: HubContext,
  workspaceId: string,
  rewardId: string,
  action: RewardAction,
  input: RewardActionInput,
): Promise<RewardRow> {
  const [reward] = await q.query<RewardRow>('SELECT * FROM rewards WHERE id = $1 AND workspace_id = $2 FOR UPDATE', [rewardId, workspaceId]);
  if (!reward) throw new ApiError('not_found', `No reward with id '${rewardId}' in this workspace`);
  if (!allowedFrom[action].includes(reward.status)) {
    throw new ApiError('invalid_transition', `Cannot ${action} a reward that is ${reward.status}`, undefined, {
      current_status: reward.status,
    });
  }
  const now = ctx.now();
  let status: RewardStatus;
  let releaseAt = reward.release_at;
  if (action === 'approve') {
    // Approving a pending reward inside its hold keeps it delayed until the release date;
    // approving a delayed one releases it now.
    status = reward.status === 'pending' && reward.release_at && reward.release_at > now ? 'delayed' : 'approved';
  } else if (action === 'decline') status = 'declined';
  else if (action === 'issue') status = 'issued';
  else {
    status = 'delayed';
    releaseAt = input.until ?? null;
  }
  const [updated] = await q.query<RewardRow>(
    `UPDATE rewards SET status = $3, release_at = $4, reason = COALESCE($5, reason), updated_at = $6,
       issued_at = CASE WHEN $3 = 'issued' THEN $6 ELSE issued_at END,
       external_id = COALESCE($7, external_id), reward_code = COALESCE($8, reward_code),
       approval = CASE WHEN $3 IN ('approved', 'delayed') AND $9 THEN 'auto' ELSE approval END,
       dedupe_key = CASE WHEN $3 = 'declined' THEN dedupe_key || ':void:' || id ELSE dedupe_key END
     WHERE id = $1 AND workspace_id = $2 RETURNING *`,
    [rewardId, workspaceId, status, releaseAt, input.reason ?? null, now, input.external_id ?? null, input.reward_code ?? null, action !== 'delay'],
  );
  await recordActivity(q, ctx, workspaceId, updated.participant_id, 'reward', 'manual', { reward_id: updated.id, action, status, reason: input.reason ?? null });
  const eventType = ({ approved: 'reward.approved', declined: 'reward.declined', issued: 'reward.issued' } as const)[
    status as 'approved' | 'declined' | 'issued'
  ];
  if (eventType) await emitRewardEvent(q, ctx, updated, eventType);
  return updated;
}

/**
 * Release held rewards whose date has come: delayed → approved (or pending when a person still has
 * to approve them). Called by the scheduled release job; returns how many were released.
 */
export async function releaseDueRewards(ctx: HubContext, limit = 500): Promise<number> {
  return ctx.db.tx(async (q) => {
    const due = await q.query<RewardRow>(
      `SELECT * FROM rewards WHERE status = 'delayed' AND release_at <= $1 ORDER BY release_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [ctx.now(), limit],
    );
    for (const reward of due) {
      const status = reward.approval === 'manual' ? 'pending' : 'approved';
      const [updated] = await q.query<RewardRow>(
        'UPDATE rewards SET status = $2, updated_at = $3 WHERE id = $1 RETURNING *',
        [reward.id, status, ctx.now()],
      );
      await recordActivity(q, ctx, reward.workspace_id, reward.participant_id, 'reward', 'hold_release', { reward_id: reward.id, status });
      if (status === 'approved') await emitRewardEvent(q, ctx, updated, 'reward.approved');
    }
    return due.length;
  });
}
