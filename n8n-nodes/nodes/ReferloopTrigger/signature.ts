import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far a delivery's timestamp may be from now, against replays of captured deliveries. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { valid: true } | { valid: false; reason: string };

/**
 * Check `Referloop-Signature: t=<unix>,v1=<hex>`: v1 is the HMAC-SHA256 of "t.body" keyed with the
 * endpoint secret. Compared in constant time; several v1 values are accepted (secret rotation).
 */
export function verifyReferloopSignature(
	header: unknown,
	rawBody: Buffer,
	secret: string,
	nowMs: number,
): SignatureCheck {
	if (typeof header !== 'string' || header === '') {
		return { valid: false, reason: 'missing Referloop-Signature header' };
	}
	let timestamp: number | undefined;
	const candidates: Buffer[] = [];
	for (const part of header.split(',')) {
		const [key, value] = part.trim().split('=', 2);
		if (key === 't' && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
		if (key === 'v1' && value && /^[0-9a-f]{64}$/i.test(value)) candidates.push(Buffer.from(value, 'hex'));
	}
	if (timestamp === undefined || candidates.length === 0) {
		return { valid: false, reason: 'malformed Referloop-Signature header' };
	}
	if (Math.abs(nowMs / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) {
		return { valid: false, reason: 'Referloop-Signature timestamp is too old or in the future' };
	}
	const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
	const matches = candidates.some((candidate) => timingSafeEqual(candidate, expected));
	return matches ? { valid: true } : { valid: false, reason: 'Referloop-Signature does not match' };
}
