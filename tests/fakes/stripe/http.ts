import type { FakeReply, FakeRequest } from '../toolkit';
import { parseStripeForm, type FormObject } from './form';
import { stripeError } from './objects';
import type { StripeState } from './state';

/** A route as the Stripe fake declares it: the parsed form (body, or query for GETs) comes with the request. */
export type StripeHandler = (req: FakeRequest & { form: FormObject; apiKey: string }) => FakeReply | Promise<FakeReply>;

const mask = (key: string) => `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

/**
 * Wrap a route with what Stripe does around every request:
 * - the key must be one of the account's (Bearer), else 401 `invalid_request_error`;
 * - a restricted key without the resource's permission gets 403, the SDK's StripePermissionError
 *   (Stripe answers `invalid_request_error` with the permission it lacks named in the message);
 * - a POST with an `Idempotency-Key` answers what the first request with that key answered, and a
 *   400 `idempotency_error` when the parameters differ. Answers are saved once the route ran,
 *   whatever their status; a request refused before running (rate limit, fault) saves nothing.
 */
// https://docs.stripe.com/api/authentication · https://docs.stripe.com/api/idempotent_requests · https://docs.stripe.com/keys#limit-access
export function stripeRoute(state: StripeState, resource: string, handler: StripeHandler): (req: FakeRequest) => Promise<FakeReply> {
  return async (req) => {
    const auth = req.headers.authorization ?? '';
    const apiKey = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    const key = state.keys.get(apiKey);
    if (!key) return { status: 401, body: stripeError('invalid_request_error', `Invalid API Key provided: ${mask(apiKey)}`) };
    const permission = key.denied.get(resource);
    if (permission) {
      const account = String(state.account.id);
      return {
        status: 403,
        body: stripeError('invalid_request_error', `The provided key '${mask(apiKey)}' does not have the required permissions for this endpoint on account '${account}'. Having the '${permission}' permission would allow this request to continue.`),
      };
    }
    const form = parseStripeForm(req.method === 'GET' || req.method === 'DELETE' ? new URLSearchParams(req.query).toString() : req.rawBody.toString('utf8'));
    const idemKey = req.method === 'POST' ? req.headers['idempotency-key'] : undefined;
    if (!idemKey) return handler({ ...req, form, apiKey });
    const saved = `${apiKey}:${idemKey}`;
    const fingerprint = `${req.method} ${req.path} ${req.rawBody.toString('utf8')}`;
    const earlier = state.idempotency.get(saved);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint) {
        return { status: 400, body: stripeError('idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`) };
      }
      return { status: earlier.status, headers: { 'idempotent-replayed': 'true' }, body: earlier.body };
    }
    const reply = await handler({ ...req, form, apiKey });
    state.idempotency.set(saved, { fingerprint, status: reply.status ?? 200, body: reply.body });
    return reply;
  };
}

export const notFound = (what: string, id: string): FakeReply => ({ status: 404, body: stripeError('invalid_request_error', `No such ${what}: '${id}'`, { code: 'resource_missing', param: 'id' }) });

export const invalid = (param: string, message: string): FakeReply => ({ status: 400, body: stripeError('invalid_request_error', message, { param }) });
