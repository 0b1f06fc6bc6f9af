import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { Logger } from './logger';
import { randomSecret } from './crypto';

/** Why a sealed value could not be opened (or sealed). */
export class SecretBoxError extends Error {
  constructor(
    readonly reason: 'no_secret' | 'wrong_key' | 'tampered' | 'malformed',
    message: string,
  ) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

const VERSION = 'rl1';
const IV_BYTES = 12;

/** The 32-byte AES key for a REFERLOOP_SECRET: HKDF-SHA256, so the secret itself never keys anything. */
export function deriveKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'referloop', 'credentials/aes-256-gcm/v1', 32));
}

/**
 * Encryption at rest for integration credentials: AES-256-GCM with a random 96-bit nonce per value.
 * A sealed value reads `rl1.<key id>.<nonce>.<tag>.<ciphertext>` (base64url). The key id tells
 * "encrypted under another secret" apart from "tampered with"; the caller's `context` (e.g. the
 * integration id) is bound as associated data, so a value copied onto another row does not open.
 */
export class SecretBox {
  private readonly keyId: string | null;

  constructor(
    private readonly key: Buffer | null,
    private readonly missingReason = 'REFERLOOP_SECRET is not set',
  ) {
    if (key && key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.keyId = key ? createHmac('sha256', key).update('key-id').digest('base64url').slice(0, 8) : null;
  }

  static fromSecret(secret: string): SecretBox {
    return new SecretBox(deriveKey(secret));
  }

  /** True when a key is configured (values can be sealed and opened). */
  get ready(): boolean {
    return this.key !== null;
  }

  seal(plaintext: string, context: string): string {
    const key = this.requireKey();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  open(sealed: string, context: string): string {
    const key = this.requireKey();
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('malformed', 'not a sealed value');
    const [, keyId, iv, tag, body] = parts;
    if (keyId !== this.keyId) {
      throw new SecretBoxError('wrong_key', 'encrypted under a different REFERLOOP_SECRET: restore the secret the credentials were saved with, or reconnect');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('tampered', 'the sealed value does not authenticate (tampered, or sealed for another record)');
    }
  }

  sealJson(value: unknown, context: string): string {
    return this.seal(JSON.stringify(value), context);
  }

  openJson(sealed: string, context: string): unknown {
    return JSON.parse(this.open(sealed, context));
  }

  private requireKey(): Buffer {
    if (!this.key) throw new SecretBoxError('no_secret', `${this.missingReason}: credentials cannot be encrypted or read`);
    return this.key;
  }
}

/** Name of the generated secret inside the data directory (embedded mode). */
export const SECRET_FILE = 'secret.key';

/**
 * The hub's secret box. REFERLOOP_SECRET wins. In embedded mode (no DATABASE_URL) a secret is
 * generated into the data directory with mode 0600 on first start, and the log says so. With
 * Postgres every process must share one secret, so none is invented: integrations refuse to store
 * credentials until REFERLOOP_SECRET is set. In-memory hubs (tests) get a throwaway one.
 */
export function openSecretBox(config: Config, opts: { inMemory: boolean; log: Logger }): SecretBox {
  if (config.REFERLOOP_SECRET) return SecretBox.fromSecret(config.REFERLOOP_SECRET);
  if (config.DATABASE_URL) {
    opts.log.warn('REFERLOOP_SECRET is not set: integrations cannot store credentials until it is (every hub process must share the same value)');
    return new SecretBox(null, 'REFERLOOP_SECRET is not set (it is required with DATABASE_URL)');
  }
  if (opts.inMemory) return SecretBox.fromSecret(randomSecret(32));
  return SecretBox.fromSecret(readOrCreateSecretFile(config.dataDir, opts.log));
}

function readOrCreateSecretFile(dataDir: string, log: Logger): string {
  const file = path.join(dataDir, SECRET_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // `wx` fails when the file exists, so two processes starting at once keep one secret.
    fs.writeFileSync(file, `${randomSecret(32)}\n`, { mode: 0o600, flag: 'wx' });
    log.warn(
      { file },
      `Generated REFERLOOP_SECRET into ${file} (mode 0600). Back it up with the data directory: integration credentials cannot be read without it. Set REFERLOOP_SECRET to use your own.`,
    );
  } catch (err) {
    // Structural check: errors from fs may come from another realm (test sandboxes), so no instanceof.
    if (!(typeof err === 'object' && err !== null && 'code' in err && err.code === 'EEXIST')) throw err;
  }
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${file} holds a secret shorter than 32 characters; delete it only if no integration credentials were saved with it`);
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) log.warn({ file, mode: mode.toString(8) }, `${file} is readable by other users; run chmod 600 on it`);
  return secret;
}
