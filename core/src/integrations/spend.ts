import type { Signal, SpendRule, Vendor } from '@referloop/connectors';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { changeReferralStatus } from '../domain/qualification';
import { walkSpend, type PaymentRow } from './spend-walk';
import type { MatchedParticipant } from './vendor-records';

type SpendSignal = Extract<Signal, { kind: 'spend' }>;

const DAY_MS = 86_400_000;

/**
 * Count a payment or refund once and re-evaluate the campaign's spend rule. The decision is taken
 * from the whole set of the participant's payments inside the window (sign-up + within_days),
 * walked by the time they happened at the vendor (spend-walk.ts), so replays and any arrival order
 * end in the same state: qualified once the running sum reached the threshold; unqualified when a
 * refund inside the window took it below again and the rule says so. Qualified happens at most
 * once: a referral closed as unqualified stays closed.
 */
export async function applySpend(q: Queryable, hub: HubContext, workspaceId: string, vendor: Vendor, participant: MatchedParticipant, signal: SpendSignal, rule: SpendRule): Promise<string> {
  // Spend events of one participant apply one after the other: each sees the rows the others wrote.
  const [locked] = await q.query<{ referral_status: MatchedParticipant['referral_status'] }>('SELECT referral_status FROM participants WHERE id = $1 FOR UPDATE', [participant.id]);
  const status = locked?.referral_status ?? participant.referral_status;
  const occurredAt = signal.occurred_at ? new Date(signal.occurred_at) : hub.now();
  const cumulative = signal.refund && signal.cumulative === true;
  const insert = `INSERT INTO vendor_payments (workspace_id, vendor, payment_id, participant_id, refund, amount, currency, occurred_at, refund_of, cumulative)
     SELECT workspace_id, $2, $3, id, $4, $5, $6, $7, $8, $9 FROM participants WHERE id = $1`;
  // A running total only grows: the highest one seen is the truth, whichever event brought it.
  await q.query(
    cumulative ? `${insert} ON CONFLICT (workspace_id, vendor, payment_id) DO UPDATE SET amount = EXCLUDED.amount, occurred_at = EXCLUDED.occurred_at WHERE vendor_payments.amount < EXCLUDED.amount` : `${insert} ON CONFLICT DO NOTHING`,
    [participant.id, vendor, signal.payment_id, signal.refund, signal.amount, signal.currency.toUpperCase(), occurredAt, signal.refund ? (signal.refund_of ?? null) : null, cumulative],
  );
  const windowEnd = new Date(participant.created_at.getTime() + rule.within_days * DAY_MS);
  // The participant's payments, and refunds of them wherever those were matched.
  const rows = await q.query<PaymentRow>(
    `SELECT payment_id, refund, refund_of, cumulative, amount::float8 AS amount, currency, occurred_at FROM vendor_payments
     WHERE workspace_id = $3 AND vendor = $2 AND (participant_id = $1
       OR refund_of IN (SELECT payment_id FROM vendor_payments WHERE participant_id = $1 AND vendor = $2 AND NOT refund))`,
    [participant.id, vendor, workspaceId],
  );
  // Vendor times have one-second steps: a payment in the second of the sign-up is inside the window.
  const windowStart = new Date(Math.floor(participant.created_at.getTime() / 1000) * 1000);
  const walk = walkSpend(rows, rule, { start: windowStart, end: windowEnd });
  const summary = `spend ${walk.total} of ${rule.min_total_spend}${rule.currency ? ` ${rule.currency.toUpperCase()}` : ''} within ${rule.within_days} days`;
  const opts = { source: vendor, idempotencyKey: `${vendor}:${signal.event_id}` } as const;
  const closedByRefund = walk.reachedAt !== null && walk.droppedAt !== null && rule.unqualify_on_refund;
  let target: 'qualified' | 'unqualified' | null = null;
  if (walk.reachedAt !== null && closedByRefund) {
    // A flagged referral waits for a person; only an open or qualified one is closed by the refund.
    if (status === 'pending' || status === 'qualified') target = 'unqualified';
  } else if (walk.reachedAt !== null && (status === 'pending' || status === 'flagged')) target = 'qualified';
  if (target === null) return `counted: ${summary}`;
  const reason = target === 'qualified' ? summary : `refund: ${summary}`;
  const outcome = await changeReferralStatus(q, hub, workspaceId, { participant_id: participant.id }, target, { ...opts, reason });
  return outcome.changed ? `${target}: ${summary}` : `unchanged: ${summary}`;
}
