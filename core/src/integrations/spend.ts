import type { Signal, SpendRule, Vendor } from '@referloop/connectors';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { changeReferralStatus } from '../domain/qualification';
import type { MatchedParticipant } from './vendor-records';

type SpendSignal = Extract<Signal, { kind: 'spend' }>;

const DAY_MS = 86_400_000;

/**
 * Count a payment or refund once and re-evaluate the campaign's spend rule. The sum depends only
 * on the set of payments inside the window (sign-up + within_days), so replays and any arrival
 * order end in the same state: qualified once the sum reaches the threshold; unqualified again
 * when a refund inside the window drops it below and the rule says so.
 */
export async function applySpend(q: Queryable, hub: HubContext, workspaceId: string, vendor: Vendor, participant: MatchedParticipant, signal: SpendSignal, rule: SpendRule): Promise<string> {
  const occurredAt = signal.occurred_at ? new Date(signal.occurred_at) : hub.now();
  await q.query(
    `INSERT INTO vendor_payments (workspace_id, vendor, payment_id, participant_id, refund, amount, currency, occurred_at)
     SELECT workspace_id, $2, $3, id, $4, $5, $6, $7 FROM participants WHERE id = $1
     ON CONFLICT DO NOTHING`,
    [participant.id, vendor, signal.payment_id, signal.refund, signal.amount, signal.currency.toUpperCase(), occurredAt],
  );
  const windowEnd = new Date(participant.created_at.getTime() + rule.within_days * DAY_MS);
  const [{ total }] = await q.query<{ total: number }>(
    `SELECT COALESCE(SUM(CASE WHEN refund THEN -amount ELSE amount END), 0)::bigint AS total FROM vendor_payments
     WHERE participant_id = $1 AND vendor = $2 AND occurred_at >= $3 AND occurred_at <= $4 AND ($5::text IS NULL OR currency = $5::text)`,
    [participant.id, vendor, participant.created_at, windowEnd, rule.currency?.toUpperCase() ?? null],
  );
  const inWindow = occurredAt >= participant.created_at && occurredAt <= windowEnd;
  const summary = `spend ${total} of ${rule.min_total_spend}${rule.currency ? ` ${rule.currency.toUpperCase()}` : ''} within ${rule.within_days} days`;
  const opts = { source: vendor, idempotencyKey: `${vendor}:${signal.event_id}` } as const;
  if (total >= rule.min_total_spend && (participant.referral_status === 'pending' || participant.referral_status === 'flagged')) {
    const outcome = await changeReferralStatus(q, hub, workspaceId, { participant_id: participant.id }, 'qualified', { ...opts, reason: summary });
    return outcome.changed ? `qualified: ${summary}` : `unchanged: ${summary}`;
  }
  if (total < rule.min_total_spend && signal.refund && inWindow && rule.unqualify_on_refund && participant.referral_status === 'qualified') {
    const outcome = await changeReferralStatus(q, hub, workspaceId, { participant_id: participant.id }, 'unqualified', { ...opts, reason: `refund: ${summary}` });
    return outcome.changed ? `unqualified: ${summary}` : `unchanged: ${summary}`;
  }
  return `counted: ${summary}`;
}
