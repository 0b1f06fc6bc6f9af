import { createHash, createHmac } from 'node:crypto';

/**
 * Sign webhook deliveries exactly as each vendor does, so tests post what the vendor would post.
 * Connector issues use these against their own verifiers (and, where the vendor's SDK ships a
 * helper, prefer it: Stripe's `webhooks.generateTestHeaderString`).
 */

export const hmacHex = (secret: string, payload: string | Buffer) => createHmac('sha256', secret).update(payload).digest('hex');
export const hmacBase64 = (secret: string, payload: string | Buffer) => createHmac('sha256', secret).update(payload).digest('base64');

/** `Authorization: Basic …` — Pipedrive webhooks carry the http_auth_user/password we registered. */
// https://pipedrive.readme.io/docs/guide-for-webhooks-v2 (http_auth_user, http_auth_password)
export function basicAuthHeader(user: string, password: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** `Stripe-Signature: t=…,v1=hex(HMAC-SHA256(secret, "t.body"))`; the same scheme our own outbound webhooks use. */
// https://docs.stripe.com/webhooks#verify-manually
export function stripeSignatureHeader(secret: string, body: string, timestampSeconds = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { 'stripe-signature': `t=${timestampSeconds},v1=${hmacHex(secret, `${timestampSeconds}.${body}`)}` };
}

/** HubSpot v3: base64(HMAC-SHA256(client secret, method + uri + body + timestamp)), timestamp in ms. */
// https://developers.hubspot.com/docs/guides/apps/authentication/validating-requests#validate-the-v3-request-signature
export function hubspotV3Headers(clientSecret: string, method: string, uri: string, body: string, timestampMs = Date.now()): Record<string, string> {
  return {
    'x-hubspot-signature-v3': hmacBase64(clientSecret, `${method.toUpperCase()}${uri}${body}${timestampMs}`),
    'x-hubspot-request-timestamp': String(timestampMs),
  };
}

/** HubSpot v2: hex(SHA-256(client secret + method + uri + body)); v1: hex(SHA-256(client secret + body)). */
// https://developers.hubspot.com/docs/guides/apps/authentication/validating-requests#validate-the-v2-request-signature
export function hubspotV2Headers(clientSecret: string, method: string, uri: string, body: string): Record<string, string> {
  return { 'x-hubspot-signature': createHash('sha256').update(`${clientSecret}${method.toUpperCase()}${uri}${body}`).digest('hex'), 'x-hubspot-signature-version': 'v2' };
}

export function hubspotV1Headers(clientSecret: string, body: string): Record<string, string> {
  return { 'x-hubspot-signature': createHash('sha256').update(`${clientSecret}${body}`).digest('hex'), 'x-hubspot-signature-version': 'v1' };
}

/** A plain body HMAC in a header of the caller's choosing (hex), as many smaller vendors sign. */
export function bodyHmacHeader(header: string, secret: string, body: string): Record<string, string> {
  return { [header.toLowerCase()]: hmacHex(secret, body) };
}
