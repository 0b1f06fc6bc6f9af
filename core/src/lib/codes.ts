import { randomInt } from 'node:crypto';

/** Upper-case letters and digits without look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B). */
export const CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';

/** A random referral code of `length` characters after `prefix`. */
export function generateCode(length: number, prefix = ''): string {
  let out = prefix;
  for (let i = 0; i < length; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return out;
}

/** Codes are matched case-insensitively: the stored form is upper case. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}
