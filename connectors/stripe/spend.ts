import { z } from 'zod';
import type { Signal } from '../contract';

/**
 * Stripe events → spend signals. Each payment is counted under one id, whichever event names it:
 * the PaymentIntent when there is one, else the charge. A charge is the money received; an
 * invoice adds only what no charge carries. Since API version 2025-03-31 neither an invoice nor
 * a charge names the other in event payloads, so `invoice.paid` counts only when it names its
 * payment (older versions: `payment_intent`/`charge` — the same id as the charge's, hence counted
 * once) or was paid outside Stripe (`paid_out_of_band`); otherwise its charge counts for it.
 * Refunds name the payment they give back on: each refund by its id (`refund.created`), and the
 * charge's running total (`charge.refunded`, `amount_refunded`); core takes the larger of the two.
 */

/** The events the connector needs, registered on the webhook endpoint. */
export const STRIPE_EVENTS = ['charge.succeeded', 'charge.captured', 'charge.refunded', 'refund.created', 'invoice.paid'] as const;

const idOf = z.union([z.string().min(1), z.object({ id: z.string().min(1) }).transform((o) => o.id)]);
const currency = z.string().regex(/^[A-Za-z]{3}$/);

// https://docs.stripe.com/api/charges/object
const chargeSchema = z.object({
  id: z.string().min(1),
  amount: z.number().int(),
  amount_captured: z.number().int(),
  amount_refunded: z.number().int(),
  captured: z.boolean(),
  status: z.string(),
  currency,
  customer: idOf.nullable().optional(),
  payment_intent: idOf.nullable().optional(),
  billing_details: z.object({ email: z.string().nullable().optional() }).nullable().optional(),
  receipt_email: z.string().nullable().optional(),
  created: z.number().int(),
});

// https://docs.stripe.com/api/invoices/object
const invoiceSchema = z.object({
  id: z.string().min(1),
  amount_paid: z.number().int(),
  currency,
  customer: idOf.nullable().optional(),
  customer_email: z.string().nullable().optional(),
  status_transitions: z.object({ paid_at: z.number().int().nullable().optional() }).optional(),
  created: z.number().int(),
  // API versions before 2025-03-31
  payment_intent: idOf.nullable().optional(),
  charge: idOf.nullable().optional(),
  paid_out_of_band: z.boolean().optional(),
  // present when expanded
  payments: z
    .object({ data: z.array(z.object({ payment: z.object({ payment_intent: idOf.nullable().optional(), charge: idOf.nullable().optional() }) })) })
    .optional(),
});

// https://docs.stripe.com/api/refunds/object
const refundSchema = z.object({
  id: z.string().min(1),
  amount: z.number().int(),
  currency,
  status: z.string().nullable().optional(),
  charge: idOf.nullable().optional(),
  payment_intent: idOf.nullable().optional(),
  customer: idOf.nullable().optional(),
  created: z.number().int(),
});

/** The event envelope (verified by the SDK before it is parsed). */
// https://docs.stripe.com/api/events/object
export const eventSchema = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export type StripeEvent = z.infer<typeof eventSchema>;

type SpendSignal = Extract<Signal, { kind: 'spend' }>;
type Match = SpendSignal['match'];

const iso = (unixSeconds: number) => new Date(unixSeconds * 1000).toISOString();

function matchOf(customer: string | null | undefined, email: string | null | undefined): Match | null {
  const record = customer ? { object: 'customer', id: customer } : undefined;
  const mail = email?.trim() || undefined;
  if (!record && !mail) return null;
  return { ...(record ? { record } : {}), ...(mail ? { email: mail } : {}) };
}

/** The id a payment is counted under: its PaymentIntent, else its charge. */
const paymentKey = (paymentIntent: string | null | undefined, charge: string) => paymentIntent ?? charge;

/** What one verified event means for spend: at most one signal. */
export function spendSignals(event: StripeEvent): SpendSignal[] {
  const base = { kind: 'spend' as const, event_id: event.id };
  const object = event.data.object;
  switch (event.type) {
    case 'charge.succeeded':
    case 'charge.captured': {
      const c = chargeSchema.safeParse(object);
      // An authorisation not captured yet is no spend; `charge.captured` brings it.
      if (!c.success || !c.data.captured || c.data.status !== 'succeeded' || c.data.amount_captured <= 0) return [];
      const match = matchOf(c.data.customer, c.data.billing_details?.email ?? c.data.receipt_email);
      if (!match) return [];
      return [{ ...base, occurred_at: iso(c.data.created), match, payment_id: paymentKey(c.data.payment_intent, c.data.id), amount: c.data.amount_captured, currency: c.data.currency, refund: false }];
    }
    case 'invoice.paid': {
      const inv = invoiceSchema.safeParse(object);
      if (!inv.success || inv.data.amount_paid <= 0) return [];
      const listed = inv.data.payments?.data[0]?.payment;
      const linked = inv.data.payment_intent ?? inv.data.charge ?? listed?.payment_intent ?? listed?.charge ?? null;
      const paymentId = linked ?? (inv.data.paid_out_of_band === true ? inv.data.id : null);
      const match = matchOf(inv.data.customer, inv.data.customer_email);
      if (!paymentId || !match) return [];
      return [{ ...base, occurred_at: iso(inv.data.status_transitions?.paid_at ?? event.created), match, payment_id: paymentId, amount: inv.data.amount_paid, currency: inv.data.currency, refund: false }];
    }
    case 'refund.created': {
      const r = refundSchema.safeParse(object);
      if (!r.success || !r.data.charge || r.data.status === 'failed' || r.data.status === 'canceled') return [];
      const match = matchOf(r.data.customer, null);
      if (!match) return [];
      const refundOf = paymentKey(r.data.payment_intent, r.data.charge);
      return [{ ...base, occurred_at: iso(r.data.created), match, payment_id: r.data.id, refund_of: refundOf, amount: r.data.amount, currency: r.data.currency, refund: true }];
    }
    case 'charge.refunded': {
      const c = chargeSchema.safeParse(object);
      if (!c.success || c.data.amount_refunded <= 0) return [];
      const match = matchOf(c.data.customer, c.data.billing_details?.email ?? c.data.receipt_email);
      if (!match) return [];
      const refundOf = paymentKey(c.data.payment_intent, c.data.id);
      return [
        { ...base, occurred_at: iso(event.created), match, payment_id: `${refundOf}:refunded`, refund_of: refundOf, cumulative: true, amount: c.data.amount_refunded, currency: c.data.currency, refund: true },
      ];
    }
    default:
      return [];
  }
}
