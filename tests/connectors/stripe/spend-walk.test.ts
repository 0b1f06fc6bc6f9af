import { walkSpend, type PaymentRow } from '../../../core/src/integrations/spend-walk';

/** The spend decision on its own: a function of the set of payments, never of their arrival order. */
describe('spend walk (how Stripe payments and refunds add up inside a window)', () => {
  const start = new Date('2030-01-01T00:00:00Z');
  const end = new Date('2030-01-31T00:00:00Z');
  const at = (day: number) => new Date(start.getTime() + day * 86_400_000);
  const rule = { min_total_spend: 5000, currency: 'usd', within_days: 30, unqualify_on_refund: true };
  const pay = (id: string, amount: number, day: number, currency = 'USD'): PaymentRow => ({ payment_id: id, refund: false, refund_of: null, cumulative: false, amount, currency, occurred_at: at(day) });
  const refund = (id: string, of: string | null, amount: number, day: number, cumulative = false): PaymentRow => ({ payment_id: id, refund: true, refund_of: of, cumulative, amount, currency: 'USD', occurred_at: at(day) });
  const shuffled = <T>(rows: T[]): T[][] => [rows, [...rows].reverse(), [...rows.slice(1), rows[0]]];

  it('reaches the threshold when the running sum does, whatever order the rows are in', () => {
    const rows = [pay('pi_1', 3000, 1), pay('pi_2', 2500, 2), refund('re_1', 'pi_2', 1000, 3)];
    for (const order of shuffled(rows)) {
      expect(walkSpend(order, rule, { start, end })).toEqual({ total: 4500, reachedAt: at(2), droppedAt: at(3) });
    }
  });

  it('subtracts one refund once when it is reported alone and in the running total, and never more than the payment', () => {
    const rows = [pay('pi_1', 6000, 1), refund('re_1', 'pi_1', 1000, 2), refund('pi_1:refunded', 'pi_1', 1000, 2, true), refund('re_2', 'pi_1', 9000, 3)];
    expect(walkSpend(rows, rule, { start, end }).total).toBe(0);
    expect(walkSpend(rows.slice(0, 3), rule, { start, end }).total).toBe(5000);
  });

  it('ignores refunds of payments that do not count, payments outside the window and other currencies', () => {
    const rows = [pay('pi_before', 9000, -1), refund('re_before', 'pi_before', 9000, 2), pay('pi_eur', 9000, 1, 'EUR'), pay('pi_late', 9000, 31), pay('pi_1', 4000, 1)];
    expect(walkSpend(rows, rule, { start, end })).toEqual({ total: 4000, reachedAt: null, droppedAt: null });
  });

  it('puts a payment before a refund of the same second, so a refund never precedes what it refunds', () => {
    const rows = [refund('re_1', 'pi_1', 5000, 1), pay('pi_1', 5000, 1)];
    expect(walkSpend(rows, rule, { start, end })).toEqual({ total: 0, reachedAt: at(1), droppedAt: at(1) });
  });
});
