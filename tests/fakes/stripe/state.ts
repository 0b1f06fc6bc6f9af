import { stripeId, type StripeObject } from './objects';

/** An API key the fake accepts; a restricted key may be denied some resources. */
export interface FakeKey {
  /** resources this key may not touch (`webhook_endpoints`, `account`, `customers`, …) → the permission Stripe names */
  denied: Map<string, string>;
}

/** A webhook endpoint with the signing secret Stripe shows only when creating it. */
export interface FakeEndpoint {
  object: StripeObject;
  secret: string;
}

/** What the fake Stripe account holds. */
export interface StripeState {
  account: StripeObject;
  keys: Map<string, FakeKey>;
  customers: Map<string, StripeObject>;
  /** per customer, newest first, as Stripe lists them */
  balanceTransactions: Map<string, StripeObject[]>;
  coupons: Map<string, StripeObject>;
  promotionCodes: Map<string, StripeObject>;
  charges: Map<string, StripeObject>;
  invoices: Map<string, StripeObject>;
  refunds: Map<string, StripeObject>;
  endpoints: Map<string, FakeEndpoint>;
  /** every event the account produced, oldest first */
  events: StripeObject[];
  /** saved answers by key (`<api key>:<Idempotency-Key>`): the request they answered and the answer */
  idempotency: Map<string, { fingerprint: string; status: number; body: unknown }>;
  now(): Date;
}

export function initialState(account: StripeObject, now: () => Date): StripeState {
  return {
    account,
    keys: new Map(),
    customers: new Map(),
    balanceTransactions: new Map(),
    coupons: new Map(),
    promotionCodes: new Map(),
    charges: new Map(),
    invoices: new Map(),
    refunds: new Map(),
    endpoints: new Map(),
    events: [],
    idempotency: new Map(),
    now,
  };
}

/** A new secret key for the fake account. */
export function newSecretKey(kind: 'sk' | 'rk' = 'sk'): string {
  return stripeId(`${kind}_test`);
}
