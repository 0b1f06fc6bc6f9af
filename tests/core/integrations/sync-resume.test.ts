import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startTinyCrm, type TinyCrm } from './support/tiny-crm';
import { waitFor } from './support/setup';

const SCRIPT = path.join(__dirname, 'support/hub-process.ts');
const TSX = require.resolve('tsx/cjs');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  url: string;
  secretKey?: string;
}

/** Start a hub process and wait for its "listening" line. */
function startHub(env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(process.execPath, ['-r', TSX, SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${err}`)), 60_000);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const parsed = JSON.parse(line) as { url: string; secret_key?: string };
      resolve({ child, url: parsed.url, secretKey: parsed.secret_key });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited (${code}): ${err}`));
    });
  });
}

describe('a contact sync killed with SIGKILL resumes from its cursor in the next process', () => {
  let crm: TinyCrm;
  let dir: string;
  const children: ChildProcess[] = [];
  const pgSchema = `t_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    crm = await startTinyCrm();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'referloop-sync-kill-'));
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await crm.close();
    fs.rmSync(dir, { recursive: true, force: true });
    if (process.env.DATABASE_URL) {
      const pg = await import('pg');
      const client = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${pgSchema}" CASCADE`);
      await client.end();
    }
  });

  it('imports every contact exactly once, writes every link, and the log never holds a credential', async () => {
    crm.seedContacts(300);
    const port = await freePort();
    const logFile = path.join(dir, 'hub.log');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      REFERLOOP_DATA_DIR: dir,
      REFERLOOP_SECRET: randomBytes(32).toString('hex'),
      HUB_LOG_FILE: logFile,
      LOG_LEVEL: 'trace',
      ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: pgSchema } : {}),
    };
    const contactIds = [...crm.contacts.keys()].sort((a, b) => Number(a) - Number(b));
    const never = new Promise(() => undefined);
    const lists = () => crm.fake.requestsTo('GET /api/contacts');
    const batches = () => crm.fake.requestsTo('POST /api/contacts/batch');
    const kill = async (child: ChildProcess) => {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    };

    // Kill 1: while the links of page 3 are being written (its second batch of 25 is held).
    crm.fake.fail('POST /api/contacts/batch', { until: never }, 1, 5);
    const first = await startHub(env);
    children.push(first.child);
    const key = first.secretKey;
    expect(key).toBeDefined();
    const api = async (url: string, p: string, init: { method?: string; body?: unknown } = {}) => {
      const res = await fetch(url + p, {
        method: init.method ?? (init.body ? 'POST' : 'GET'),
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: init.body ? JSON.stringify(init.body) : undefined,
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const progress = async (url: string) => (await api(url, `/v1/integrations/pipedrive/syncs/${syncId}`)).body;
    const campaign = await api(first.url, '/v1/campaigns', { body: { name: 'Imported', destination_url: 'https://shop.example.com/' } });
    const connected = await api(first.url, '/v1/integrations/pipedrive', { method: 'PUT', body: { credentials: { api_token: crm.token }, api_base_url: crm.url } });
    expect(connected.status).toBe(200);
    const started = await api(first.url, '/v1/integrations/pipedrive/sync', { body: { campaign_id: campaign.body.id } });
    expect(started.status).toBe(202);
    const syncId: string = started.body.id;
    await waitFor(() => batches().length === 6, 'the held link batch of page 3', 60_000);
    await kill(first.child);

    // Kill 2: the next process writes page 3's links again, reads on from the cursor, and dies reading page 5.
    const listsBefore2 = lists().length;
    const batchesBefore2 = batches().length;
    crm.fake.fail('GET /api/contacts', { until: never }, 1, 1);
    const second = await startHub(env);
    children.push(second.child);
    // (The new process may pick the sync up before we can look, so what it did is read off the vendor's log.)
    await waitFor(() => lists().length === listsBefore2 + 2, 'page 5 requested', 60_000);
    expect(lists()[listsBefore2].query.cursor).toBe(contactIds[149]);
    // Page 3's links not yet written (the held batch only) went out first, before page 4 was read.
    const rewritten = batches()[batchesBefore2];
    expect(rewritten.at).toBeLessThan(lists()[listsBefore2].at);
    expect((rewritten.body as { updates: Array<{ id: string }> }).updates.map((u) => u.id)).toEqual((batches()[5].body as { updates: Array<{ id: string }> }).updates.map((u) => u.id));
    await waitFor(async () => (await progress(second.url)).links_written === 200, 'page 4 links');
    await kill(second.child);

    const listsBefore3 = lists().length;
    const third = await startHub(env);
    children.push(third.child);
    const done = await waitFor(async () => {
      const body = await progress(third.url);
      return body.state === 'completed' ? body : null;
    }, 'the resumed sync', 90_000);
    expect(done).toMatchObject({ state: 'completed', total: 300, processed: 300, created: 300, updated: 0, failed: 0, links_written: 300, pages: 6, cursor: null });
    expect(lists()[listsBefore3].query.cursor).toBe(contactIds[199]);
    // Pages 1-4 were read once each, page 5 twice (the read that died, the one after), page 6 once.
    expect(lists().map((r) => r.query.cursor ?? 'start')).toHaveLength(7);
    for (const c of crm.contacts.values()) expect(c.referral_link).toMatch(/\/r\/[A-Z0-9-]+$/);
    expect(new Set([...crm.contacts.values()].map((c) => c.referral_code)).size).toBe(300);
    const stats = await api(third.url, `/v1/campaigns/${campaign.body.id}/stats`);
    expect(stats.body.participants).toMatchObject({ total: 300, imported: 300 });

    third.child.kill('SIGTERM');
    await new Promise((r) => third.child.once('exit', r));
    const logs = fs.readFileSync(logFile, 'utf8');
    expect(logs).toContain('contact sync completed');
    expect(logs).not.toContain(crm.token);
    for (const hook of crm.webhooks.values()) expect(logs).not.toContain(hook.secret);
  }, 300_000);
});
