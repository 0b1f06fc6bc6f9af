import { createHash, timingSafeEqual } from 'node:crypto';
import { Signature } from '@hubspot/api-client';
import type { InboundDelivery } from '../contract';

/**
 * HubSpot's request signatures, computed with the SDK's own `Signature.getSignature` (the official
 * scheme) and compared here in constant time, with the timestamp judged against our clock:
 * - v3: `X-HubSpot-Signature-v3` = base64 HMAC-SHA256(client secret, method + URI + body + timestamp),
 *   `X-HubSpot-Request-Timestamp` in ms, refused when older than 5 minutes;
 * - v2 (`X-HubSpot-Signature-Version: v2`): hex SHA-256(secret + method + URI + body);
 * - v1: hex SHA-256(secret + body).
 * v1 and v2 carry no timestamp: the event dedupe is what keeps their replays harmless.
 */
// https://developers.hubspot.com/docs/guides/apps/authentication/validating-requests

export const MAX_AGE_MS = 5 * 60_000;

/** v3 signs the URI with these characters decoded. */
const decodings: Array<[RegExp, string]> = [
  [/%3A/gi, ':'],
  [/%2F/gi, '/'],
  [/%3F/gi, '?'],
  [/%40/gi, '@'],
  [/%21/gi, '!'],
  [/%24/gi, '$'],
  [/%27/gi, "'"],
  [/%28/gi, '('],
  [/%29/gi, ')'],
  [/%2A/gi, '*'],
  [/%2C/gi, ','],
  [/%3B/gi, ';'],
];

function decodeUri(uri: string): string {
  return decodings.reduce((u, [pattern, char]) => u.replace(pattern, char), uri);
}

const digest = (value: string) => createHash('sha256').update(value).digest();
/** Constant time whatever the lengths: both sides are hashed to 32 bytes first. */
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Check a delivery's HubSpot signature against the client secret, at `now`. */
export function checkSignature(delivery: InboundDelivery, clientSecret: string, now: Date): SignatureCheck {
  const body = delivery.rawBody.toString('utf8');
  const method = delivery.method.toUpperCase();
  const v3 = delivery.headers['x-hubspot-signature-v3'];
  if (v3 !== undefined) {
    const stamp = delivery.headers['x-hubspot-request-timestamp'] ?? '';
    const timestamp = /^\d{1,16}$/.test(stamp) ? Number(stamp) : NaN;
    if (!Number.isFinite(timestamp)) return { ok: false, reason: 'X-HubSpot-Request-Timestamp is missing' };
    const age = now.getTime() - timestamp;
    if (age > MAX_AGE_MS) return { ok: false, reason: 'the request timestamp is older than 5 minutes' };
    if (age < -MAX_AGE_MS) return { ok: false, reason: 'the request timestamp is in the future' };
    const expected = Signature.getSignature(method, 'v3', { signature: v3, clientSecret, requestBody: body, url: decodeUri(delivery.url), timestamp });
    return same(v3.trim(), expected) ? { ok: true } : { ok: false, reason: 'X-HubSpot-Signature-v3 does not match' };
  }
  const signature = delivery.headers['x-hubspot-signature'];
  if (signature === undefined) return { ok: false, reason: 'no HubSpot signature header' };
  const version = (delivery.headers['x-hubspot-signature-version'] ?? 'v1').trim().toLowerCase();
  if (version !== 'v1' && version !== 'v2') return { ok: false, reason: `unknown signature version ${version}` };
  const expected = Signature.getSignature(method, version, { signature, clientSecret, requestBody: body, url: delivery.url });
  return same(signature.trim().toLowerCase(), expected) ? { ok: true } : { ok: false, reason: `X-HubSpot-Signature (${version}) does not match` };
}

/** The workflow path: the secret the "Send a webhook" action carries in a header. */
export const WORKFLOW_HEADER = 'x-referloop-workflow-secret';

export function checkWorkflowSecret(delivery: InboundDelivery, secret: string | undefined): SignatureCheck {
  const given = delivery.headers[WORKFLOW_HEADER];
  if (!secret) return { ok: false, reason: 'no workflow_secret is set in the credentials' };
  if (given === undefined || !same(given.trim(), secret)) return { ok: false, reason: `${WORKFLOW_HEADER} does not match` };
  return { ok: true };
}
