import Stripe from 'stripe';
import { startFakeVendor, type FakeVendor } from '../toolkit';
import { chargeObject, customerObject, CURRENT_API_VERSION, eventObject, fixture, invoiceObject, refundObject, seconds, stripeId, type StripeObject } from './objects';
import { stripeRoutes } from './routes';
import { initialState, newSecretKey, type StripeState } from './state';

export type { StripeObject } from './objects';
export type { StripeState } from './state';

/** One signed POST as Stripe sends it to a webhook endpoint. */
export interface StripeDelivery {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface DeliverOptions {
  /** post each event this many times (Stripe retries and replays) */
  times?: number;
  /** sign with this secret instead of the endpoint's */
  secret?: string;
  /** the signature's timestamp (unix seconds); default the fake's clock */
  timestamp?: number;
  /** post to this URL instead of the account's endpoints subscribed to the event */
  url?: string;
}

/**
 * A fake Stripe account on 127.0.0.1 for the official `stripe` SDK (point it there with `host`,
 * `port`, `protocol: 'http'`): the API routes the connector calls, with Stripe's objects (built
 * on Stripe's OpenAPI fixtures), errors, restricted-key permissions and idempotent requests — and
 * what happens in the account besides (a customer pays, an invoice is paid, a refund is made),
 * each producing the events Stripe would send, delivered signed to the registered endpoints.
 */
export interface FakeStripe {
  fake: FakeVendor;
  /** the `api_base_url` to connect with */
  url: string;
  state: StripeState;
  /** a full-access secret key of the account */
  secretKey: string;
  /** A restricted key lacking these permissions, by resource: `{ webhook_endpoints: 'rak_webhook_write' }`. */
  restrictedKey(denied: Record<string, string>): string;
  /** A customer made outside Referloop (Checkout, the dashboard). */
  addCustomer(input: { email: string; name?: string }): StripeObject;
  customersWithEmail(email: string): StripeObject[];
  /** A successful card payment through a PaymentIntent: `charge.succeeded`. */
  charge(input: { customer: string | null; amount: number; currency?: string; email?: string | null }): { charge: StripeObject; events: StripeObject[] };
  /**
   * An invoice paid by card: `charge.succeeded` then `invoice.paid`. Payloads are rendered in the
   * current API version, where neither names the other; `legacyLinks` renders them as versions
   * before 2025-03-31 do (`invoice.charge`, `invoice.payment_intent`, `charge.invoice`).
   */
  payInvoice(input: { customer: string; amount: number; currency?: string; legacyLinks?: boolean }): { invoice: StripeObject; charge: StripeObject; events: StripeObject[] };
  /** A refund of (part of) a charge: `refund.created` then `charge.refunded`. */
  refund(chargeId: string, amount?: number): { refund: StripeObject; events: StripeObject[] };
  /** The signed delivery of one event to a URL. */
  signed(event: StripeObject, url: string, opts?: Pick<DeliverOptions, 'secret' | 'timestamp'>): StripeDelivery;
  /** Post events, in the order given, to the endpoints subscribed to them (or `opts.url`); answers each POST's status. */
  deliver(events: StripeObject[], opts?: DeliverOptions): Promise<number[]>;
  close(): Promise<void>;
}

export async function startFakeStripe(options: { now?: () => Date; defaultCurrency?: string } = {}): Promise<FakeStripe> {
  const now = options.now ?? (() => new Date());
  const account: StripeObject = { ...fixture('account'), id: stripeId('acct').slice(0, 21), default_currency: options.defaultCurrency ?? 'usd', email: 'owner@shop.example' };
  const state = initialState(account, now);
  const secretKey = newSecretKey();
  state.keys.set(secretKey, { denied: new Map() });
  const fake = await startFakeVendor({ name: 'stripe', routes: stripeRoutes(state) });

  const emit = (type: string, object: StripeObject, apiVersion = CURRENT_API_VERSION): StripeObject => {
    const event = eventObject({ id: stripeId('evt'), type, created: seconds(now()), object, apiVersion });
    state.events.push(event);
    return event;
  };
  const emailOf = (customer: string | null): string | null => {
    const c = customer ? state.customers.get(customer) : undefined;
    return typeof c?.email === 'string' ? c.email : null;
  };
  const newCharge = (customer: string | null, amount: number, currency: string, email: string | null) => {
    const charge = chargeObject({ id: stripeId('ch'), amount, currency, customer, email, payment_intent: stripeId('pi'), created: seconds(now()) });
    state.charges.set(String(charge.id), charge);
    return charge;
  };

  const signed: FakeStripe['signed'] = (event, url, opts = {}) => {
    const endpoint = [...state.endpoints.values()].find((e) => e.object.url === url);
    const secret = opts.secret ?? endpoint?.secret;
    if (!secret) throw new Error(`no signing secret for ${url}`);
    const body = JSON.stringify(event);
    // Stripe's own helper makes the header Stripe sends: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">.
    const header = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: opts.timestamp ?? seconds(now()) });
    return { url, body, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': header, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' } };
  };

  return {
    fake,
    url: fake.url,
    state,
    secretKey,
    restrictedKey(denied) {
      const key = newSecretKey('rk');
      state.keys.set(key, { denied: new Map(Object.entries(denied)) });
      return key;
    },
    addCustomer({ email, name }) {
      const customer = customerObject({ id: stripeId('cus'), email, name: name ?? null, metadata: {}, created: seconds(now()) });
      state.customers.set(String(customer.id), customer);
      return customer;
    },
    customersWithEmail: (email) => [...state.customers.values()].filter((c) => c.email === email),
    charge({ customer, amount, currency = 'usd', email }) {
      const charge = newCharge(customer, amount, currency, email === undefined ? emailOf(customer) : email);
      return { charge, events: [emit('charge.succeeded', charge)] };
    },
    payInvoice({ customer, amount, currency = 'usd', legacyLinks = false }) {
      const email = emailOf(customer);
      const invoice = invoiceObject({ id: stripeId('in'), customer, email, amount, currency, paidAt: seconds(now()) });
      const charge = newCharge(customer, amount, currency, email);
      state.invoices.set(String(invoice.id), invoice);
      const version = legacyLinks ? '2024-06-20' : CURRENT_API_VERSION;
      const chargeView = legacyLinks ? { ...charge, invoice: invoice.id } : charge;
      const invoiceView = legacyLinks ? { ...invoice, charge: charge.id, payment_intent: charge.payment_intent, paid: true, paid_out_of_band: false } : invoice;
      return { invoice, charge, events: [emit('charge.succeeded', chargeView, version), emit('invoice.paid', invoiceView, version)] };
    },
    refund(chargeId, amount) {
      const charge = state.charges.get(chargeId);
      if (!charge) throw new Error(`no charge ${chargeId}`);
      const value = amount ?? Number(charge.amount) - Number(charge.amount_refunded);
      const refund = refundObject({
        id: stripeId('re'),
        amount: value,
        currency: String(charge.currency),
        charge: chargeId,
        payment_intent: typeof charge.payment_intent === 'string' ? charge.payment_intent : null,
        customer: typeof charge.customer === 'string' ? charge.customer : null,
        created: seconds(now()),
      });
      state.refunds.set(String(refund.id), refund);
      const refunded = Number(charge.amount_refunded) + value;
      const updated = { ...charge, amount_refunded: refunded, refunded: refunded >= Number(charge.amount) };
      state.charges.set(chargeId, updated);
      return { refund, events: [emit('refund.created', refund), emit('charge.refunded', updated)] };
    },
    signed,
    async deliver(events, opts = {}) {
      const statuses: number[] = [];
      for (const event of events) {
        const targets = opts.url
          ? [opts.url]
          : [...state.endpoints.values()].filter((e) => Array.isArray(e.object.enabled_events) && e.object.enabled_events.includes(String(event.type))).map((e) => String(e.object.url));
        for (const url of targets) {
          for (let i = 0; i < (opts.times ?? 1); i++) {
            const d = signed(event, url, opts);
            const res = await fetch(d.url, { method: 'POST', body: d.body, headers: d.headers });
            await res.arrayBuffer();
            statuses.push(res.status);
          }
        }
      }
      return statuses;
    },
    close: () => fake.close(),
  };
}
