import type { SpendRule } from '@referloop/connectors';

/** A `vendor_payments` row: a payment, or a refund (one refund, or the running total refunded on a payment). */
export interface PaymentRow {
  payment_id: string;
  refund: boolean;
  refund_of: string | null;
  cumulative: boolean;
  amount: number;
  currency: string;
  occurred_at: Date;
}

/** What a participant's set of payments says, walked in the order the vendor says they happened. */
export interface SpendWalk {
  /** payments inside the window minus what was refunded on them (refunds inside the window) */
  total: number;
  /** when the running total first reached the threshold, or null */
  reachedAt: Date | null;
  /** when a refund after that took it below the threshold again, or null */
  droppedAt: Date | null;
}

interface Point {
  at: Date;
  row: PaymentRow;
}

/**
 * Walk the payments and refunds inside the window by the time they happened at the vendor. The
 * result depends only on the set of rows, never on the order they arrived in: a replay adds no
 * row, and events delivered backwards end in the same walk. At equal times payments come before
 * refunds (a refund cannot precede what it refunds; vendor clocks have one-second steps).
 *
 * A refund naming its payment (`refund_of`) subtracts only while that payment counts, never more
 * than it; the refunded amount of a payment is the larger of its running total (cumulative rows)
 * and the sum of its single refunds, since a vendor may report the same refund both ways.
 */
export function walkSpend(rows: PaymentRow[], rule: SpendRule, window: { start: Date; end: Date }): SpendWalk {
  const currency = rule.currency?.toUpperCase() ?? null;
  const inCurrency = (r: PaymentRow) => currency === null || r.currency.toUpperCase() === currency;
  const within = (r: PaymentRow) => r.occurred_at >= window.start && r.occurred_at <= window.end;
  const payments = new Map<string, PaymentRow>();
  for (const r of rows) if (!r.refund && inCurrency(r) && within(r)) payments.set(r.payment_id, r);
  const refunds = rows.filter((r) => r.refund && inCurrency(r) && (r.refund_of === null ? within(r) : payments.has(r.refund_of) && r.occurred_at <= window.end));

  const points: Point[] = [...payments.values(), ...refunds].map((row) => ({ at: row.occurred_at, row }));
  points.sort((a, b) => a.at.getTime() - b.at.getTime() || Number(a.row.refund) - Number(b.row.refund) || a.row.payment_id.localeCompare(b.row.payment_id));

  let reachedAt: Date | null = null;
  let droppedAt: Date | null = null;
  let total = 0;
  for (let i = 0; i < points.length; i++) {
    // The running total: every point up to and including this one.
    total = totalUpTo(points.slice(0, i + 1).map((p) => p.row));
    const { at, row } = points[i];
    if (reachedAt === null && total >= rule.min_total_spend) reachedAt = at;
    else if (reachedAt !== null && droppedAt === null && row.refund && total < rule.min_total_spend) droppedAt = at;
  }
  return { total, reachedAt, droppedAt };
}

function totalUpTo(rows: PaymentRow[]): number {
  let sum = 0;
  const paidOn = new Map<string, number>();
  const cumulativeOf = new Map<string, number>();
  const singlesOf = new Map<string, number>();
  for (const r of rows) {
    if (!r.refund) {
      sum += r.amount;
      paidOn.set(r.payment_id, r.amount);
    } else if (r.refund_of === null) sum -= r.amount;
    else if (r.cumulative) cumulativeOf.set(r.refund_of, Math.max(cumulativeOf.get(r.refund_of) ?? 0, r.amount));
    else singlesOf.set(r.refund_of, (singlesOf.get(r.refund_of) ?? 0) + r.amount);
  }
  for (const id of new Set([...cumulativeOf.keys(), ...singlesOf.keys()])) {
    const paid = paidOn.get(id) ?? 0;
    sum -= Math.min(paid, Math.max(cumulativeOf.get(id) ?? 0, singlesOf.get(id) ?? 0));
  }
  return sum;
}
