import { hmacHex, safeEqual } from '../lib/crypto';

/** The header, and how old a signed request may be before it counts as a replay. */
export const SIGNATURE_HEADER = 'Referloop-Signature';
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * Verify `Referloop-Signature: t=<unix seconds>,v1=<hex hmac-sha256 of "t.body">` — the scheme the
 * hub signs its own webhook deliveries with, so one helper serves senders both ways. Several v1
 * values may be sent (during a secret rotation); one match is enough. Compared in constant time.
 */
export function verifySignature(secret: string, header: string | undefined, rawBody: Buffer, now: Date): SignatureCheck {
  if (!header) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  let timestamp: number | null = null;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (name === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (name === 'v1') candidates.push(value.toLowerCase());
  }
  if (timestamp === null || candidates.length === 0) return { ok: false, reason: `${SIGNATURE_HEADER} must look like t=<unix>,v1=<hex>` };
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
    return { ok: false, reason: `signature timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS} s away from now` };
  }
  const expected = hmacHex(secret, `${timestamp}.${rawBody.toString('utf8')}`);
  // Check every candidate (no early exit) so timing says nothing about which one matched.
  let matched = false;
  for (const c of candidates) matched = safeEqual(c, expected) || matched;
  return matched ? { ok: true } : { ok: false, reason: 'signature does not match' };
}

/** Sign a body the same way (tests and senders written in TypeScript use it). */
export function signBody(secret: string, rawBody: string, now: Date): string {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${hmacHex(secret, `${t}.${rawBody}`)}`;
}
