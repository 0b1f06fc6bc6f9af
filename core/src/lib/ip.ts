import { sha256Hex } from './crypto';

/** A salted hash of an IP address: enough to compare, useless to read back. */
export function hashIp(salt: string, ip: string | undefined | null): string | null {
  if (!ip) return null;
  const bare = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return sha256Hex(`${salt}:${bare}`).slice(0, 32);
}
