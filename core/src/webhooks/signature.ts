import { hmacHex, safeEqual } from '../lib/crypto';

/** The signature header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export function signWebhookBody(body: string, secret: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, `${timestampSeconds}.${body}`)}`;
}

/**
 * Check a `Referloop-Signature` header against the raw request body (the exact bytes received, not
 * re-serialised JSON) and the endpoint secret. False when the header is malformed, no `v1` matches
 * (compared in constant time), or `t` is more than `toleranceSeconds` away from now — which stops a
 * captured delivery from being replayed later.
 */
export function verifyWebhookSignature(
  body: string | Buffer,
  header: string | null | undefined,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  if (!header) return false;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return false;
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = hmacHex(secret, `${timestamp}.${typeof body === 'string' ? body : body.toString('utf8')}`);
  // Several v1 values may be sent (e.g. during a secret rotation): any match is enough.
  let ok = false;
  for (const candidate of signatures) ok = safeEqual(candidate, expected) || ok;
  return ok;
}
