import Stripe from 'stripe';
import { z } from 'zod';
import type { InboundDelivery, RegisterResult, WebhookRegistration, WebhookVerdict } from '../contract';
import { isStatus, openStripe, stripeCall, type StripeContext } from './client';
import { eventSchema, spendSignals, STRIPE_EVENTS } from './spend';

/** Stripe's own default: a signature older than 5 minutes is refused (replays). */
export const SIGNATURE_TOLERANCE_S = 300;
/** Where the signing secret of the endpoint we created is kept (encrypted, in webhook secrets). */
const SECRET_NAME = 'signing_secret';

const endpointSchema = z.object({ id: z.string().min(1), url: z.string(), enabled_events: z.array(z.string()), secret: z.string().optional() });
const endpointListSchema = z.object({ data: z.array(endpointSchema) });

const registration = (id: string, url: string): WebhookRegistration => ({ id, event: STRIPE_EVENTS.join(','), url });

/** What to set up by hand when the key may not manage webhook endpoints. */
function manual(url: string): RegisterResult {
  return {
    webhooks: [],
    manual: {
      events: [...STRIPE_EVENTS],
      instructions:
        `This Stripe key may not manage webhook endpoints. In the Stripe Dashboard (Developers → Webhooks → Add endpoint) add ${url} ` +
        `with API version ${Stripe.API_VERSION} and the events ${STRIPE_EVENTS.join(', ')}; then connect again with the endpoint's ` +
        'signing secret (whsec_…) as credentials.webhook_secret.',
    },
  };
}

/**
 * Create our webhook endpoint at Stripe for `url`, or adopt the one already there when we hold
 * its signing secret (Stripe shows a secret only in the answer that creates the endpoint, so an
 * endpoint for our URL whose secret we lost is replaced). Events are rendered in the SDK's API
 * version, which the payload schemas follow. A restricted key without the webhook permission (403)
 * gets the manual instructions instead.
 */
export async function registerWebhooks(ctx: StripeContext, input: { url: string; existing: WebhookRegistration[] }): Promise<RegisterResult> {
  const stripe = openStripe(ctx);
  let endpoints;
  try {
    // https://docs.stripe.com/api/webhook_endpoints/list
    endpoints = endpointListSchema.parse(await stripeCall(() => stripe.webhookEndpoints.list({ limit: 100 }))).data;
  } catch (err) {
    if (isStatus(err, 403)) return manual(input.url);
    throw err;
  }
  const events = [...STRIPE_EVENTS];
  const ours = endpoints.find((e) => e.url === input.url);
  if (ours && ctx.webhookSecrets[SECRET_NAME]) {
    if (events.some((e) => !ours.enabled_events.includes(e))) {
      // https://docs.stripe.com/api/webhook_endpoints/update
      await stripeCall(() => stripe.webhookEndpoints.update(ours.id, { enabled_events: events }));
    }
    return { webhooks: [registration(ours.id, input.url)] };
  }
  // https://docs.stripe.com/api/webhook_endpoints/delete
  if (ours) await stripeCall(() => stripe.webhookEndpoints.del(ours.id));
  // https://docs.stripe.com/api/webhook_endpoints/create (the answer carries `secret`)
  const created = endpointSchema.parse(
    await stripeCall(() => stripe.webhookEndpoints.create({ url: input.url, enabled_events: events, api_version: Stripe.API_VERSION, description: 'Referloop: referral spend and refunds' })),
  );
  if (!created.secret) throw new Error('Stripe created the webhook endpoint without returning its signing secret');
  return { webhooks: [registration(created.id, input.url)], secrets: { [SECRET_NAME]: created.secret } };
}

/** Delete the endpoints we created; one already gone is not an error. */
export async function unregisterWebhooks(ctx: StripeContext, webhooks: WebhookRegistration[]): Promise<void> {
  const stripe = openStripe(ctx);
  for (const w of webhooks) {
    try {
      await stripeCall(() => stripe.webhookEndpoints.del(w.id));
    } catch (err) {
      if (!isStatus(err, 404)) throw err;
    }
  }
}

/**
 * Verify a delivery with the SDK's `webhooks.constructEvent` on the raw body (HMAC-SHA256 of
 * "t.body", compared in constant time, timestamp within 300 s of the hub's clock) against the
 * secret of the endpoint we created or the one the user pasted; then translate it. Anything that
 * does not verify is a 400 and nothing is stored.
 */
// https://docs.stripe.com/webhooks#verify-official-libraries
export async function parseWebhook(ctx: StripeContext, delivery: InboundDelivery): Promise<WebhookVerdict> {
  const header = delivery.headers['stripe-signature'];
  if (!header) return { verified: false, reason: 'missing Stripe-Signature header', status: 400 };
  const secrets = [ctx.webhookSecrets[SECRET_NAME], ctx.credentials.webhook_secret].filter((s): s is string => typeof s === 'string' && s.length > 0);
  if (secrets.length === 0) return { verified: false, reason: 'no signing secret is configured: connect again with credentials.webhook_secret', status: 400 };
  let reason = 'signature does not verify';
  for (const secret of secrets) {
    let body: unknown;
    try {
      // The SDK checks the header against the raw bytes, then parses them; its typed event is re-read below with zod.
      body = Stripe.webhooks.constructEvent(delivery.rawBody, header, secret, SIGNATURE_TOLERANCE_S, undefined, ctx.now().getTime());
    } catch (err) {
      if (err instanceof SyntaxError) return { verified: false, reason: 'the body is not JSON', status: 400 };
      if (!(err instanceof Stripe.errors.StripeSignatureVerificationError)) throw err;
      reason = err.message;
      continue;
    }
    const event = eventSchema.safeParse(body);
    if (!event.success) return { verified: false, reason: 'the body is not a Stripe event', status: 400 };
    return { verified: true, signals: spendSignals(event.data) };
  }
  return { verified: false, reason, status: 400 };
}
