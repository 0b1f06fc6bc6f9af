import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Stripe objects for the fake, each built on the matching resource of Stripe's published OpenAPI
 * fixtures (`../shared/vendor/stripe-openapi/fixtures3.json`, read in place from the repository
 * root) with our values laid over it: the official SDK and our zod schemas see Stripe's real shapes.
 */
const repoRoot = join(__dirname, '..', '..', '..');
export const fixturesPath = join(repoRoot, '..', 'shared', 'vendor', 'stripe-openapi', 'fixtures3.json');

export type StripeObject = Record<string, unknown>;

let fixtures: Record<string, StripeObject> | null = null;

function isRecord(value: unknown): value is StripeObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A fresh copy of the fixture for a resource (`customer`, `charge`, `invoice`, …). */
export function fixture(resource: string): StripeObject {
  if (!fixtures) {
    const parsed: unknown = JSON.parse(readFileSync(fixturesPath, 'utf8'));
    const resources = isRecord(parsed) ? parsed.resources : undefined;
    if (!isRecord(resources)) throw new Error(`${fixturesPath} has no resources`);
    const out: Record<string, StripeObject> = {};
    for (const [name, value] of Object.entries(resources)) if (isRecord(value)) out[name] = value;
    fixtures = out;
  }
  const base = fixtures[resource];
  if (!base) throw new Error(`no Stripe fixture for ${resource}`);
  return structuredClone(base);
}

/** A Stripe-looking id: `cus_…`, `ch_…`, `evt_…`. */
export function stripeId(prefix: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(24);
  let id = '';
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return `${prefix}_${id}`;
}

export const seconds = (d: Date): number => Math.floor(d.getTime() / 1000);

/** The API version the SDK we use is pinned to; event payloads are rendered in it unless an endpoint asks for another. */
export const CURRENT_API_VERSION = '2026-10-28.endive';

/** Before this version, invoices named their charge and payment intent and charges their invoice. */
export const LINKED_INVOICES_UNTIL = '2025-03-31';

export function customerObject(fields: { id: string; email: string | null; name: string | null; metadata: Record<string, string>; created: number; currency?: string | null }): StripeObject {
  return {
    ...fixture('customer'),
    id: fields.id,
    email: fields.email,
    name: fields.name,
    metadata: fields.metadata,
    created: fields.created,
    balance: 0,
    currency: fields.currency ?? null,
    discount: null,
    description: null,
  };
}

export interface ChargeFields {
  id: string;
  amount: number;
  currency: string;
  customer: string | null;
  email: string | null;
  payment_intent: string | null;
  created: number;
}

export function chargeObject(f: ChargeFields): StripeObject {
  const base = fixture('charge');
  const billing = isRecord(base.billing_details) ? base.billing_details : {};
  return {
    ...base,
    id: f.id,
    amount: f.amount,
    amount_captured: f.amount,
    amount_refunded: 0,
    captured: true,
    paid: true,
    refunded: false,
    status: 'succeeded',
    currency: f.currency,
    customer: f.customer,
    payment_intent: f.payment_intent,
    billing_details: { ...billing, email: f.email, name: null },
    receipt_email: f.email,
    created: f.created,
    description: null,
    balance_transaction: stripeId('txn'),
    refunds: undefined,
  };
}

export function invoiceObject(f: { id: string; customer: string; email: string | null; amount: number; currency: string; paidAt: number }): StripeObject {
  const base = fixture('invoice');
  return {
    ...base,
    id: f.id,
    customer: f.customer,
    customer_email: f.email,
    amount_due: f.amount,
    amount_paid: f.amount,
    amount_remaining: 0,
    total: f.amount,
    subtotal: f.amount,
    currency: f.currency,
    status: 'paid',
    attempted: true,
    attempt_count: 1,
    created: f.paidAt,
    effective_at: f.paidAt,
    status_transitions: { finalized_at: f.paidAt, marked_uncollectible_at: null, paid_at: f.paidAt, voided_at: null },
    last_finalization_error: null,
    lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${f.id}/lines` },
  };
}

export function refundObject(f: { id: string; amount: number; currency: string; charge: string; payment_intent: string | null; customer: string | null; created: number }): StripeObject {
  return { ...fixture('refund'), ...f, status: 'succeeded', reason: null, balance_transaction: stripeId('txn') };
}

export function eventObject(f: { id: string; type: string; created: number; object: StripeObject; apiVersion: string }): StripeObject {
  return {
    ...fixture('event'),
    id: f.id,
    type: f.type,
    created: f.created,
    api_version: f.apiVersion,
    data: { object: structuredClone(f.object) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  };
}

/** `{ object: 'list' }` as Stripe pages answer. */
export function list(url: string, data: StripeObject[], hasMore: boolean): StripeObject {
  return { object: 'list', url, has_more: hasMore, data };
}

/** Stripe's error body. */
export function stripeError(type: string, message: string, extra: Record<string, string> = {}): { error: Record<string, string> } {
  return { error: { type, message, ...extra } };
}
