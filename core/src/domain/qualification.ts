import type { Queryable } from '../db';
import type { HubContext } from '../context';
import { emitEvent } from '../events/emit';
import { ApiError } from '../lib/errors';
import { newId } from '../lib/ids';
import type { QualificationSource, ReferralSelector } from '../schemas/referral';
import { recordActivity } from './activities';
import { readCampaignSettings } from './campaign-settings';
import { getCampaign } from './campaigns';
import { findParticipant, selectReferralForUpdate } from './participant-queries';
import { createEarnedRewards, voidRewardsOf } from './rewards';
import type { ParticipantView, RewardRow } from './rows';
import { toParticipant, toReferrerSummary } from './serialize';

export interface QualificationOptions {
  source: QualificationSource;
  reason?: string;
  /** A retry with the same key changes nothing (kept with the qualification row, in its transaction). */
  idempotencyKey?: string;
}

export interface QualificationOutcome {
  changed: boolean;
  referral: ParticipantView;
  rewards: RewardRow[];
}

type Target = 'qualified' | 'unqualified';

/**
 * The one qualification path: the API, "qualify with code", inbound webhooks, CRM stage changes,
 * Stripe spend, CSV uploads, conversions and manual review all end here.
 */
export async function qualifyReferral(ctx: HubContext, workspaceId: string, selector: ReferralSelector, opts: QualificationOptions) {
  return ctx.db.tx((q) => changeReferralStatus(q, ctx, workspaceId, selector, 'qualified', opts));
}

/** Reverse a qualification (refund, lost deal): the referral becomes unqualified, unpaid rewards are voided. */
export async function unqualifyReferral(ctx: HubContext, workspaceId: string, selector: ReferralSelector, opts: QualificationOptions) {
  return ctx.db.tx((q) => changeReferralStatus(q, ctx, workspaceId, selector, 'unqualified', opts));
}

/** The same inside a caller's transaction (inbound vendor events apply with their dedupe row). */
export async function changeReferralStatus(
  q: Queryable,
  ctx: HubContext,
  workspaceId: string,
  selector: ReferralSelector,
  target: Target,
  opts: QualificationOptions,
): Promise<QualificationOutcome> {
  const referral = await selectReferralForUpdate(q, workspaceId, selector);
  if (referral.type !== 'referred' || !referral.referrer_id || !referral.referral_status) {
    throw new ApiError(
      'not_referred',
      `Participant ${referral.code} (${referral.email}) joined without a referrer, so there is no referral to ${target === 'qualified' ? 'qualify' : 'unqualify'}`,
      undefined,
      { participant_id: referral.id },
    );
  }
  if (opts.idempotencyKey) {
    const seen = await q.query('SELECT 1 FROM qualifications WHERE workspace_id = $1 AND idempotency_key = $2', [workspaceId, opts.idempotencyKey]);
    if (seen.length > 0) return { changed: false, referral, rewards: [] };
  }
  if (referral.referral_status === target) return { changed: false, referral, rewards: [] };

  const from = referral.referral_status;
  const now = ctx.now();
  if (target === 'qualified' && from === 'flagged') {
    // A flagged referral earns nothing until a person approves it; the qualification waits.
    await q.query("UPDATE participants SET held_status = 'qualified', updated_at = $2 WHERE id = $1", [referral.id, now]);
    await logQualification(q, ctx, referral, from, 'flagged', opts, 'qualification held for review');
    const held = await findParticipant(q, workspaceId, referral.id);
    return { changed: true, referral: held ?? referral, rewards: [] };
  }

  await q.query(
    `UPDATE participants SET referral_status = $2, held_status = NULL, updated_at = $3,
       qualified_at = CASE WHEN $2 = 'qualified' THEN $3 ELSE qualified_at END
     WHERE id = $1`,
    [referral.id, target, now],
  );
  await logQualification(q, ctx, referral, from, target, opts);
  const rewards = target === 'qualified' ? await earnRewards(q, ctx, referral) : await voidRewardsOf(q, ctx, workspaceId, referral.id, `referral unqualified${opts.reason ? `: ${opts.reason}` : ''}`);
  const updated = await findParticipant(q, workspaceId, referral.id);
  if (!updated) throw new ApiError('internal', 'referral vanished during qualification');
  await emitReferralEvent(q, ctx, updated, target === 'qualified' ? 'referral.qualified' : 'referral.unqualified');
  return { changed: true, referral: updated, rewards };
}

async function earnRewards(q: Queryable, ctx: HubContext, referral: ParticipantView): Promise<RewardRow[]> {
  if (!referral.referrer_id) return [];
  // Lock the referrer so concurrent qualifications of its friends count one after the other
  // (every Nth and milestones depend on the count).
  await q.query('SELECT id FROM participants WHERE id = $1 FOR UPDATE', [referral.referrer_id]);
  const referrer = referral.referrer_id ? await findParticipant(q, referral.workspace_id, referral.referrer_id) : null;
  if (!referrer) return [];
  const campaign = await getCampaign(q, referral.workspace_id, referral.campaign_id);
  const { rewardRules } = readCampaignSettings(campaign);
  const friend = await findParticipant(q, referral.workspace_id, referral.id);
  return createEarnedRewards(q, ctx, campaign, rewardRules, friend ?? referral, referrer);
}

async function logQualification(q: Queryable, ctx: HubContext, referral: ParticipantView, from: string, to: string, opts: QualificationOptions, note?: string) {
  await q.query(
    `INSERT INTO qualifications (id, workspace_id, campaign_id, participant_id, from_status, to_status, source, reason, idempotency_key, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`,
    [newId('qualification'), referral.workspace_id, referral.campaign_id, referral.id, from, to, opts.source, opts.reason ?? note ?? null, opts.idempotencyKey ?? null, ctx.now()],
  );
  await recordActivity(q, ctx, referral.workspace_id, referral.id, 'qualification', opts.source, {
    from,
    to,
    reason: opts.reason ?? note ?? null,
  });
}

/** Emit a referral event: the referral resource plus its referrer's summary. */
export async function emitReferralEvent(
  q: Queryable,
  ctx: HubContext,
  referral: ParticipantView,
  type: 'referral.qualified' | 'referral.unqualified' | 'referral.flagged' | 'referral.created',
) {
  const referrer = referral.referrer_id ? await findParticipant(q, referral.workspace_id, referral.referrer_id) : null;
  await emitEvent(q, ctx, {
    workspaceId: referral.workspace_id,
    campaignId: referral.campaign_id,
    type,
    data: { ...toParticipant(referral, ctx.links), referrer: referrer ? toReferrerSummary(referrer, ctx.links) : null },
  });
}

/**
 * A person's decision on a flagged referral. Approve: it becomes pending again, or qualified (with
 * its rewards) when a qualification arrived while it was held. Reject: it becomes unqualified.
 */
export async function reviewReferral(ctx: HubContext, workspaceId: string, referralId: string, decision: 'approve' | 'reject', reason?: string) {
  return ctx.db.tx(async (q) => {
    const referral = await selectReferralForUpdate(q, workspaceId, { participant_id: referralId });
    if (referral.referral_status !== 'flagged') {
      throw new ApiError('invalid_transition', `Only flagged referrals are reviewed; this one is ${referral.referral_status ?? 'not a referral'}`, undefined, {
        current_status: referral.referral_status,
      });
    }
    const opts: QualificationOptions = { source: 'review', reason };
    if (decision === 'reject') return changeReferralStatus(q, ctx, workspaceId, { participant_id: referralId }, 'unqualified', opts);
    const heldQualified = referral.held_status === 'qualified';
    await q.query("UPDATE participants SET referral_status = 'pending', held_status = NULL, updated_at = $2 WHERE id = $1", [referral.id, ctx.now()]);
    await logQualification(q, ctx, referral, 'flagged', 'pending', opts, 'approved in review');
    if (heldQualified) return changeReferralStatus(q, ctx, workspaceId, { participant_id: referralId }, 'qualified', opts);
    const updated = await findParticipant(q, workspaceId, referral.id);
    return { changed: true, referral: updated ?? referral, rewards: [] };
  });
}
