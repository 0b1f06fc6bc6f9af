import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** Resource prefixes: ids say what they are (`par_…`), like Stripe's. */
export const idPrefixes = {
  workspace: 'ws',
  apiKey: 'key',
  campaign: 'cmp',
  participant: 'par',
  click: 'clk',
  conversion: 'cnv',
  qualification: 'qal',
  reward: 'rwd',
  event: 'evt',
  webhook: 'whk',
  delivery: 'dlv',
  job: 'job',
  integration: 'int',
  sync: 'syn',
  import: 'imp',
  timeline: 'tle',
} as const;

export type IdKind = keyof typeof idPrefixes;

let lastTime = 0;
let lastTimeText = '';
let lastRandom: Buffer = Buffer.alloc(10);

// Each randomBytes() call goes through OpenSSL; the redirect needs a fresh random part every
// millisecond under load, so they are cut from a pooled block (never handing out the same bytes twice).
const POOL_SIZE = 4096;
let pool: Buffer = Buffer.alloc(0);
let poolOffset = 0;

function freshRandom(): Buffer {
  if (poolOffset + 10 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolOffset = 0;
  }
  poolOffset += 10;
  return pool.subarray(poolOffset - 10, poolOffset);
}

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[ms % 32] + out;
    ms = Math.floor(ms / 32);
  }
  return out;
}

function encodeRandom(bytes: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/**
 * A new id `<prefix>_<ulid>`: 10 time characters then 16 random ones, monotonic within one
 * process, so ids sort by creation and serve directly as pagination cursors.
 */
export function newId(kind: IdKind): string {
  const now = Date.now();
  if (now <= lastTime) {
    // Same millisecond (or clock went back): increment the random part to keep order.
    for (let i = lastRandom.length - 1; i >= 0; i--) {
      if (lastRandom[i] < 255) {
        lastRandom[i]++;
        break;
      }
      lastRandom[i] = 0;
    }
  } else {
    lastTime = now;
    lastTimeText = encodeTime(now);
    lastRandom = freshRandom();
  }
  return `${idPrefixes[kind]}_${lastTimeText}${encodeRandom(lastRandom)}`;
}

/** True when `value` looks like an id of the given kind. */
export function isId(kind: IdKind, value: string): boolean {
  return new RegExp(`^${idPrefixes[kind]}_[0-9a-z]{26}$`).test(value);
}

/** A random token in base32 of `bytes` random bytes (share tokens, inbound URLs). */
export function randomToken(bytes = 20): string {
  return encodeRandom(randomBytes(bytes));
}
