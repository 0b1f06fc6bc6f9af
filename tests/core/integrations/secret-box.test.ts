import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { SECRET_FILE, SecretBox, SecretBoxError, openSecretBox } from '../../../core/src/lib/secret-box';
import { loadConfig } from '../../../core/src/config';
import { createLogger } from '../../../core/src/lib/logger';

const run = promisify(execFile);
const BIN = path.join(__dirname, '../../../core/bin/referloop.js');
const secretA = 'a'.repeat(20) + 'correct-horse-battery-staple';
const secretB = 'b'.repeat(20) + 'correct-horse-battery-staple';
const credentials = { api_token: 'pd_live_0123456789abcdef', refresh_token: 'rt_secret' };

describe('credentials encryption at rest (AES-256-GCM under a key derived from REFERLOOP_SECRET)', () => {
  it('round-trips a value and never stores it in clear', () => {
    const box = SecretBox.fromSecret(secretA);
    const sealed = box.sealJson(credentials, 'integration:ws_1:pipedrive:credentials');
    expect(sealed).toMatch(/^rl1\.[\w-]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('pd_live');
    expect(Buffer.from(sealed.split('.')[4], 'base64url').toString('utf8')).not.toContain('pd_live');
    expect(box.openJson(sealed, 'integration:ws_1:pipedrive:credentials')).toEqual(credentials);
    // A fresh nonce each time: the same value never seals the same way twice.
    expect(box.sealJson(credentials, 'integration:ws_1:pipedrive:credentials')).not.toBe(sealed);
  });

  it('refuses to open under another secret, with a message that says so', () => {
    const sealed = SecretBox.fromSecret(secretA).sealJson(credentials, 'ctx');
    const wrong = SecretBox.fromSecret(secretB);
    expect(() => wrong.openJson(sealed, 'ctx')).toThrow(SecretBoxError);
    expect(() => wrong.openJson(sealed, 'ctx')).toThrow(/different REFERLOOP_SECRET/);
  });

  it('refuses a tampered value, and a value moved onto another record', () => {
    const box = SecretBox.fromSecret(secretA);
    const sealed = box.sealJson(credentials, 'integration:ws_1:pipedrive:credentials');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[4], 'base64url');
    body[0] ^= 1;
    const tampered = [...parts.slice(0, 4), body.toString('base64url')].join('.');
    expect(() => box.open(tampered, 'integration:ws_1:pipedrive:credentials')).toThrow(expect.objectContaining({ reason: 'tampered' }));
    expect(() => box.open(sealed, 'integration:ws_2:pipedrive:credentials')).toThrow(expect.objectContaining({ reason: 'tampered' }));
    expect(() => box.open('not-sealed', 'x')).toThrow(expect.objectContaining({ reason: 'malformed' }));
  });

  it('with Postgres and no REFERLOOP_SECRET, invents nothing and refuses to seal', () => {
    const box = openSecretBox(loadConfig({ DATABASE_URL: 'postgres://localhost/x' }), { inMemory: false, log: createLogger('silent') });
    expect(box.ready).toBe(false);
    expect(() => box.seal('x', 'y')).toThrow(/REFERLOOP_SECRET is not set/);
  });

  it('embedded mode generates the secret into the data dir with mode 0600 on first start, says so, and reuses it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'referloop-secret-'));
    try {
      const env = { PATH: process.env.PATH ?? '', REFERLOOP_DATA_DIR: dir, LOG_LEVEL: 'info' };
      const first = await run(process.execPath, [BIN, 'migrate'], { env });
      const file = path.join(dir, SECRET_FILE);
      expect(first.stdout + first.stderr).toContain(`Generated REFERLOOP_SECRET into ${file} (mode 0600)`);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const secret = fs.readFileSync(file, 'utf8');
      expect(secret.trim().length).toBeGreaterThanOrEqual(32);

      // Next starts read it back silently: what one start sealed, the next opens.
      let logged = '';
      const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()) });
      const boxA = openSecretBox(loadConfig({ REFERLOOP_DATA_DIR: dir }), { inMemory: false, log: createLogger('info', sink) });
      const boxB = openSecretBox(loadConfig({ REFERLOOP_DATA_DIR: dir }), { inMemory: false, log: createLogger('info', sink) });
      expect(boxB.open(boxA.seal('hello', 'c'), 'c')).toBe('hello');
      expect(logged).not.toContain('Generated REFERLOOP_SECRET');
      expect(fs.readFileSync(file, 'utf8')).toBe(secret);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
