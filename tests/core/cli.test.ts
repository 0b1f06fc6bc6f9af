import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../core/bin/referloop.js');

function cli(args: string[], env: Record<string, string>) {
  return run(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...env }, timeout: 120_000 });
}

// Each command starts a process and opens the embedded database from disk: seconds each on a busy machine.
jest.setTimeout(240_000);

describe('the referloop CLI (embedded database)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'referloop-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints help with every command', async () => {
    const { stdout } = await cli(['--help'], { REFERLOOP_DATA_DIR: dir });
    for (const cmd of ['serve', 'migrate', 'workspaces', 'keys']) expect(stdout).toContain(cmd);
  });

  it('stops with a message naming a bad variable', async () => {
    const err = await cli(['migrate'], { REFERLOOP_DATA_DIR: dir, PORT: 'eighty' }).catch((e: { code: number; stderr: string }) => e);
    expect(err).toMatchObject({ code: 78 });
    expect((err as { stderr: string }).stderr).toMatch(/PORT: /);
  });

  it('creates a workspace, then creates, lists and revokes keys', async () => {
    const env = { REFERLOOP_DATA_DIR: dir };
    const created = await cli(['workspaces', 'create', 'Acme'], env);
    expect(created.stdout).toMatch(/Workspace ws_[0-9a-z]{26} "Acme" created/);
    expect(created.stdout).toMatch(/rl_sk_[A-Za-z0-9_-]{40,}/);
    expect(created.stdout).toMatch(/rl_pk_[A-Za-z0-9_-]{40,}/);
    const key = await cli(['keys', 'create', '--name', 'Zapier'], env);
    const keyId = /Key (key_[0-9a-z]{26}) created/.exec(key.stdout)?.[1];
    const secret = /rl_sk_\S+/.exec(key.stdout)?.[0] ?? '';
    expect(keyId).toBeDefined();
    const listed = await cli(['keys', 'list'], env);
    expect(listed.stdout).toContain(keyId);
    expect(listed.stdout).toContain('Zapier');
    expect(listed.stdout).not.toContain(secret);
    await cli(['keys', 'revoke', keyId ?? ''], env);
    expect((await cli(['keys', 'list'], env)).stdout).toMatch(new RegExp(`${keyId}.*revoked`));
    expect((await cli(['migrate'], env)).stdout).toMatch(/up to date/);
  });

  it('serve: on first start creates a workspace, prints its keys once, and serves the API', async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'referloop-serve-'));
    const port = 20000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', REFERLOOP_DATA_DIR: fresh, PORT: String(port), HOST: '127.0.0.1' },
    });
    try {
      let out = '';
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 90_000);
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Referloop hub on')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      const key = /rl_sk_\S+/.exec(out)?.[0];
      expect(out).toContain('First start: created workspace');
      const me = await fetch(`http://127.0.0.1:${port}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
      expect(me.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    // Second start: no new workspace, no keys printed.
    const again = await new Promise<string>((resolve, reject) => {
      const c = spawn(process.execPath, [BIN, 'serve'], {
        env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', REFERLOOP_DATA_DIR: fresh, PORT: String(port), HOST: '127.0.0.1' },
      });
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no start: ${out}`)), 90_000);
      c.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Referloop hub on')) {
          clearTimeout(timer);
          c.kill('SIGTERM');
          c.once('exit', () => resolve(out));
        }
      });
    });
    expect(again).not.toContain('rl_sk_');
    fs.rmSync(fresh, { recursive: true, force: true });
  });
});
