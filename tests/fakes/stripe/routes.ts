import type { RouteTable } from '../toolkit';
import { int, mergeMetadata, obj, str, strings } from './form';
import { invalid, notFound, stripeRoute } from './http';
import { customerObject, fixture, list, seconds, stripeId, type StripeObject } from './objects';
import type { StripeState } from './state';

const metadataOf = (o: StripeObject): Record<string, string> => {
  const m = o.metadata;
  const out: Record<string, string> = {};
  if (typeof m === 'object' && m !== null) for (const [k, v] of Object.entries(m)) if (typeof v === 'string') out[k] = v;
  return out;
};

/** Stripe's metadata limits: 50 keys, keys up to 40 characters without brackets, values up to 500. */
// https://docs.stripe.com/metadata#data
function metadataProblem(metadata: Record<string, string>): string | null {
  const keys = Object.keys(metadata);
  if (keys.length > 50) return 'You can have at most 50 metadata keys.';
  for (const key of keys) {
    if (key.length > 40 || /[[\]]/.test(key)) return `Invalid metadata key '${key}': keys must be at most 40 characters and may not contain square brackets.`;
    if (metadata[key].length > 500) return `Metadata values can have up to 500 characters, but you passed in a value that is ${metadata[key].length} characters.`;
  }
  return null;
}

/** Newest first, then a page of `limit` after `starting_after`, as Stripe's list endpoints page. */
function page(url: string, all: StripeObject[], limit: number | undefined, startingAfter: string | undefined): StripeObject {
  const sorted = [...all].sort((a, b) => Number(b.created) - Number(a.created) || String(b.id).localeCompare(String(a.id)));
  const from = startingAfter ? sorted.findIndex((o) => o.id === startingAfter) + 1 : 0;
  const size = Math.min(Math.max(limit ?? 10, 1), 100);
  return list(url, sorted.slice(from, from + size), from + size < sorted.length);
}

/** The Stripe API routes the connector calls, on the fake account's state. */
export function stripeRoutes(state: StripeState): RouteTable {
  const now = () => seconds(state.now());
  return {
    // https://docs.stripe.com/api/accounts/retrieve
    'GET /v1/account': stripeRoute(state, 'account', () => ({ body: state.account })),

    // https://docs.stripe.com/api/customers/list (email: exact, case-sensitive match)
    'GET /v1/customers': stripeRoute(state, 'customers', ({ form }) => {
      const email = str(form, 'email');
      const all = [...state.customers.values()].filter((c) => email === undefined || c.email === email);
      return { body: page('/v1/customers', all, int(form, 'limit'), str(form, 'starting_after')) };
    }),
    // https://docs.stripe.com/api/customers/create
    'POST /v1/customers': stripeRoute(state, 'customers', ({ form }) => {
      const metadata = mergeMetadata({}, obj(form, 'metadata'));
      const problem = metadataProblem(metadata);
      if (problem) return invalid('metadata', problem);
      const customer = customerObject({ id: stripeId('cus'), email: str(form, 'email') ?? null, name: str(form, 'name') ?? null, metadata, created: now() });
      state.customers.set(String(customer.id), customer);
      return { body: customer };
    }),
    'GET /v1/customers/:id': stripeRoute(state, 'customers', ({ params }) => {
      const customer = state.customers.get(params.id);
      return customer ? { body: customer } : notFound('customer', params.id);
    }),
    // https://docs.stripe.com/api/customers/update (metadata merges; an empty value removes a key)
    'POST /v1/customers/:id': stripeRoute(state, 'customers', ({ params, form }) => {
      const customer = state.customers.get(params.id);
      if (!customer) return notFound('customer', params.id);
      const metadata = mergeMetadata(metadataOf(customer), obj(form, 'metadata'));
      const problem = metadataProblem(metadata);
      if (problem) return invalid('metadata', problem);
      const updated = { ...customer, metadata, email: str(form, 'email') ?? customer.email, name: str(form, 'name') ?? customer.name };
      state.customers.set(params.id, updated);
      return { body: updated };
    }),
    // https://docs.stripe.com/api/customer_balance_transactions/create (negative amount = credit)
    'POST /v1/customers/:id/balance_transactions': stripeRoute(state, 'customers', ({ params, form }) => {
      const customer = state.customers.get(params.id);
      if (!customer) return notFound('customer', params.id);
      const amount = int(form, 'amount');
      const currency = str(form, 'currency');
      if (amount === undefined || !Number.isInteger(amount)) return invalid('amount', 'Missing required param: amount.');
      if (!currency) return invalid('currency', 'Missing required param: currency.');
      if (customer.currency && customer.currency !== currency) return invalid('currency', `The currency ${currency} does not match the customer's currency ${String(customer.currency)}.`);
      const balance = Number(customer.balance) + amount;
      const txn: StripeObject = {
        ...fixture('customer_balance_transaction'),
        id: stripeId('cbtxn'),
        amount,
        currency,
        customer: params.id,
        description: str(form, 'description') ?? null,
        metadata: mergeMetadata({}, obj(form, 'metadata')),
        ending_balance: balance,
        created: now(),
        type: 'adjustment',
      };
      state.customers.set(params.id, { ...customer, balance, currency });
      state.balanceTransactions.set(params.id, [txn, ...(state.balanceTransactions.get(params.id) ?? [])]);
      return { body: txn };
    }),

    // https://docs.stripe.com/api/coupons/create
    'POST /v1/coupons': stripeRoute(state, 'coupons', ({ form }) => {
      const id = str(form, 'id') ?? stripeId('co').slice(3, 11);
      if (state.coupons.has(id)) return { status: 400, body: { error: { type: 'invalid_request_error', message: 'Coupon already exists.', code: 'resource_already_exists', param: 'id' } } };
      const percentOff = str(form, 'percent_off');
      const amountOff = int(form, 'amount_off');
      if ((percentOff === undefined) === (amountOff === undefined)) return invalid('percent_off', 'You must pass exactly one of percent_off or amount_off.');
      if (amountOff !== undefined && !str(form, 'currency')) return invalid('currency', 'You must pass currency when passing amount_off.');
      const coupon: StripeObject = {
        ...fixture('coupon'),
        id,
        amount_off: amountOff ?? null,
        percent_off: percentOff === undefined ? null : Number(percentOff),
        currency: str(form, 'currency') ?? null,
        duration: str(form, 'duration') ?? 'once',
        duration_in_months: null,
        max_redemptions: int(form, 'max_redemptions') ?? null,
        name: str(form, 'name') ?? null,
        metadata: mergeMetadata({}, obj(form, 'metadata')),
        redeem_by: null,
        created: now(),
      };
      state.coupons.set(id, coupon);
      return { body: coupon };
    }),
    // https://docs.stripe.com/api/promotion_codes/create (promotion[type]=coupon, promotion[coupon]=…)
    'POST /v1/promotion_codes': stripeRoute(state, 'promotion_codes', ({ form }) => {
      const promotion = obj(form, 'promotion');
      const couponId = str(promotion, 'coupon');
      if (!couponId || str(promotion, 'type') !== 'coupon') return invalid('promotion', 'Missing required param: promotion[coupon].');
      const coupon = state.coupons.get(couponId);
      if (!coupon) return notFound('coupon', couponId);
      const customer = str(form, 'customer') ?? null;
      if (customer && !state.customers.has(customer)) return notFound('customer', customer);
      const code = str(form, 'code') ?? stripeId('X').slice(2, 10).toUpperCase();
      if ([...state.promotionCodes.values()].some((p) => p.code === code && p.active)) return invalid('code', `An active promotion code with \`code: ${code}\` already exists.`);
      const promo: StripeObject = {
        ...fixture('promotion_code'),
        id: stripeId('promo'),
        code,
        active: true,
        customer,
        max_redemptions: int(form, 'max_redemptions') ?? null,
        expires_at: int(form, 'expires_at') ?? null,
        metadata: mergeMetadata({}, obj(form, 'metadata')),
        promotion: { type: 'coupon', coupon: couponId },
        created: now(),
      };
      state.promotionCodes.set(String(promo.id), promo);
      return { body: promo };
    }),

    // https://docs.stripe.com/api/webhook_endpoints/list
    'GET /v1/webhook_endpoints': stripeRoute(state, 'webhook_endpoints', ({ form }) =>
      ({ body: page('/v1/webhook_endpoints', [...state.endpoints.values()].map((e) => e.object), int(form, 'limit'), str(form, 'starting_after')) }),
    ),
    // https://docs.stripe.com/api/webhook_endpoints/create (the answer alone carries `secret`)
    'POST /v1/webhook_endpoints': stripeRoute(state, 'webhook_endpoints', ({ form }) => {
      const url = str(form, 'url');
      const events = strings(form, 'enabled_events');
      if (!url) return invalid('url', 'Missing required param: url.');
      if (events.length === 0) return invalid('enabled_events', 'Missing required param: enabled_events.');
      const secret = `whsec_${stripeId('x').slice(2)}`;
      const endpoint: StripeObject = {
        ...fixture('webhook_endpoint'),
        id: stripeId('we'),
        url,
        enabled_events: events,
        api_version: str(form, 'api_version') ?? null,
        description: str(form, 'description') ?? null,
        metadata: mergeMetadata({}, obj(form, 'metadata')),
        status: 'enabled',
        created: now(),
      };
      state.endpoints.set(String(endpoint.id), { object: endpoint, secret });
      return { body: { ...endpoint, secret } };
    }),
    'POST /v1/webhook_endpoints/:id': stripeRoute(state, 'webhook_endpoints', ({ params, form }) => {
      const endpoint = state.endpoints.get(params.id);
      if (!endpoint) return notFound('webhook endpoint', params.id);
      const events = strings(form, 'enabled_events');
      endpoint.object = { ...endpoint.object, ...(events.length > 0 ? { enabled_events: events } : {}), url: str(form, 'url') ?? endpoint.object.url };
      return { body: endpoint.object };
    }),
    'DELETE /v1/webhook_endpoints/:id': stripeRoute(state, 'webhook_endpoints', ({ params }) => {
      if (!state.endpoints.delete(params.id)) return notFound('webhook endpoint', params.id);
      return { body: { ...fixture('deleted_webhook_endpoint'), id: params.id, deleted: true } };
    }),
  };
}
