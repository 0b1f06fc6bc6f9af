/**
 * bench/webhooks: outbound webhook deliveries, on BullMQ (when REDIS_URL is set) and on the
 * in-process Postgres-table runner, in one run. The hub runs in child processes (on Postgres with
 * DATABASE_URL, else PGlite): `serve --with-worker`, or with BullMQ on Postgres `serve` plus a
 * `referloop worker`; the receiver and the load generator run here. Prints
 *   - deliveries/s: 20 endpoints subscribed to one campaign, 200 sign-ups → 4,000 deliveries;
 *   - latency from POST /v1/referrals/qualify to the referral.qualified delivery, p50/p99, with
 *     qualifications sent open-loop at BENCH_RATE/s (200) for BENCH_SECONDS (5); and from the
 *     qualify answer (the change committed) to the delivery, which is the events/jobs layer alone.
 * Target: p99 < 250 ms on BullMQ at 200 qualifications/s.
 *
 *   npm run -w bench webhooks
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const FANOUT_ENDPOINTS = 20;
const FANOUT_SIGNUPS = 200;
const CLI = path.resolve(__dirname, '../core/bin/referloop.js');

type Runner = 'bullmq' | 'postgres';

interface Figures {
  topology: string;
  deliveriesPerSecond: number;
  deliveries: number;
  sent: number;
  achievedRate: number;
  apiP50: number;
  apiP99: number;
  p50: number;
  p99: number;
  max: number;
  /** Hub CPU per delivery in the fan-out phase, and per qualification (API call + its delivery). */
  cpuPerDelivery: number;
  cpuPerQualification: number;
  /** From the qualify response (the change committed) to the delivery: the events/jobs layer alone. */
  afterCommitP50: number;
  afterCommitP99: number;
  missing: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU time (user + system, ms) a process has used so far: load-independent cost figures. */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined || !fs.existsSync(`/proc/${pid}/stat`)) return NaN;
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // Fields 14 and 15 of the stat line (utime, stime), in clock ticks of 10 ms.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** The receiver: answers 200 at once and notes when each delivery arrived. */
async function startReceiver() {
  const arrivals: Array<{ at: number; json: any }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      arrivals.push({ at: performance.now(), json: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, arrivals, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/**
 * The hub in child processes. BullMQ on Postgres: `referloop serve` (API, relay, hand-off to Redis)
 * plus one `referloop worker` — how it scales out. Otherwise `referloop serve --with-worker`: one
 * process, the in-process runner. Resolves with the URL, the first secret key and the processes.
 */
async function startHub(runner: Runner, dataDir: string, schema: string): Promise<{ procs: ChildProcess[]; url: string; key: string; topology: string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
    REFERLOOP_DATA_DIR: dataDir,
    REFERLOOP_SECRET: randomBytes(32).toString('hex'),
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
    ...(runner === 'bullmq' ? { REDIS_URL: process.env.REDIS_URL, REDIS_PREFIX: `bench-${schema}` } : {}),
  };
  const separateWorker = runner === 'bullmq' && Boolean(process.env.DATABASE_URL);
  const serve = spawn(process.execPath, [CLI, 'serve', ...(separateWorker ? [] : ['--with-worker'])], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const started = await new Promise<{ url: string; key: string }>((resolve, reject) => {
    serve.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const key = /Secret key\s+(\S+)/.exec(out)?.[1];
      if (key && out.includes('Referloop hub on')) resolve({ url: `http://127.0.0.1:${port}`, key });
    });
    serve.once('exit', (code) => reject(new Error(`hub exited (${code}): ${out}`)));
  });
  const procs = [serve];
  if (separateWorker) {
    const worker = spawn(process.execPath, [CLI, 'worker'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      worker.stdout?.on('data', (d: Buffer) => d.toString().includes('worker running') && resolve());
      worker.once('exit', (code) => reject(new Error(`worker exited (${code})`)));
    });
    procs.push(worker);
  }
  return { ...started, procs, topology: separateWorker ? 'serve + worker' : 'serve --with-worker' };
}

async function api(base: string, key: string, p: string, body?: unknown, method?: string): Promise<any> {
  const res = await fetch(base + p, {
    method: method ?? (body === undefined ? 'GET' : 'POST'),
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 300) throw new Error(`${p}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Run `n` tasks, `width` at a time. */
async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) await task(next++);
  }));
}

async function bench(runner: Runner): Promise<Figures> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'referloop-bench-'));
  const receiver = await startReceiver();
  const { procs, url, key, topology } = await startHub(runner, dataDir, schema);
  const hubCpu = () => procs.reduce((sum, p) => sum + cpuMs(p.pid), 0);
  try {
    const call = (p: string, body?: unknown, method?: string) => api(url, key, p, body, method);

    // Throughput: every sign-up in the fan-out campaign goes to 20 endpoints.
    const fan = await call('/v1/campaigns', { name: 'fan-out', destination_url: 'https://shop.example.com/' });
    for (let i = 0; i < FANOUT_ENDPOINTS; i++) await call('/v1/webhooks', { url: receiver.url, events: ['participant.created'], campaign_id: fan.id });
    const cpuBeforeFan = hubCpu();
    await pool(FANOUT_SIGNUPS, 16, async (i) => void (await call('/v1/participants', { campaign_id: fan.id, email: `fan${i}@example.com` })));
    const expected = FANOUT_ENDPOINTS * FANOUT_SIGNUPS;
    await waitUntil(() => receiver.arrivals.length >= expected, 120_000);
    const cpuPerDelivery = (hubCpu() - cpuBeforeFan) / expected;
    const times = receiver.arrivals.map((a) => a.at);
    const deliveries = receiver.arrivals.length;
    const deliveriesPerSecond = deliveries / ((Math.max(...times) - Math.min(...times)) / 1000);

    // Latency: friends are made first; then their referrals are qualified at RATE per second.
    const lat = await call('/v1/campaigns', { name: 'latency', destination_url: 'https://shop.example.com/' });
    const total = RATE * SECONDS;
    // Ten friends per referrer: a qualification locks its referrer's row, and real programs have many referrers.
    const referrers: string[] = [];
    await pool(Math.ceil(total / 10), 16, async (i) => {
      referrers[i] = (await call('/v1/participants', { campaign_id: lat.id, email: `referrer${i}@example.com` })).code;
    });
    const codes: string[] = [];
    await pool(total, 16, async (i) => {
      codes[i] = (await call('/v1/participants', { campaign_id: lat.id, email: `friend${i}@example.com`, referrer_code: referrers[i % referrers.length] })).code;
    });
    await call('/v1/webhooks', { url: receiver.url, events: ['referral.qualified'], campaign_id: lat.id });
    await sleep(1000);
    receiver.arrivals.length = 0;
    const sentAt = new Map<string, number>();
    const answeredAt = new Map<string, number>();
    const apiTimes: number[] = [];
    const inflight: Promise<void>[] = [];
    const cpuBeforeQualify = hubCpu();
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const code = codes[i];
      const t0 = performance.now();
      sentAt.set(code, t0);
      inflight.push(
        call('/v1/referrals/qualify', { code }).then(() => {
          answeredAt.set(code, performance.now());
          apiTimes.push(performance.now() - t0);
        }),
      );
    }
    await Promise.all(inflight);
    const achievedRate = total / ((performance.now() - start) / 1000);
    await waitUntil(() => receiver.arrivals.length >= total, 60_000);
    const cpuPerQualification = (hubCpu() - cpuBeforeQualify) / total;
    const qualified = receiver.arrivals.filter((a) => a.json.type === 'referral.qualified' && sentAt.has(a.json.data.code));
    const latencies = qualified.map((a) => a.at - (sentAt.get(a.json.data.code) ?? a.at)).sort((a, b) => a - b);
    // Deliveries can overtake the HTTP answer of the request that caused them: those count as 0.
    const afterCommit = qualified.map((a) => Math.max(0, a.at - (answeredAt.get(a.json.data.code) ?? a.at))).sort((a, b) => a - b);
    apiTimes.sort((a, b) => a - b);
    return {
      topology,
      deliveriesPerSecond,
      deliveries,
      sent: total,
      achievedRate,
      apiP50: percentile(apiTimes, 50),
      apiP99: percentile(apiTimes, 99),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: latencies[latencies.length - 1],
      cpuPerDelivery,
      cpuPerQualification,
      afterCommitP50: percentile(afterCommit, 50),
      afterCommitP99: percentile(afterCommit, 99),
      missing: total - new Set(receiver.arrivals.map((a) => a.json.id)).size,
    };
  } finally {
    for (const p of procs) p.kill('SIGTERM');
    await Promise.all(procs.map((p) => new Promise((r) => (p.exitCode !== null ? r(null) : p.once('exit', r)))));
    await receiver.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (runner === 'bullmq' && process.env.REDIS_URL) {
      const { Redis } = await import('ioredis');
      const redis = new Redis(process.env.REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `bench-${schema}:*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    }
    if (process.env.DATABASE_URL) {
      const pg = await import('pg');
      const c = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await c.end();
    }
  }
}

async function main(): Promise<void> {
  const db = process.env.DATABASE_URL ? 'Postgres' : 'PGlite';
  process.stdout.write(`bench/webhooks: hub on ${db}, ${os.cpus().length} CPUs, Node ${process.version}\n`);
  const runners: Runner[] = process.env.REDIS_URL ? ['bullmq', 'postgres'] : ['postgres'];
  if (!process.env.REDIS_URL) process.stdout.write('REDIS_URL not set: BullMQ skipped\n');
  for (const runner of runners) {
    const f = await bench(runner);
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    process.stdout.write(
      `${(runner === 'bullmq' ? 'BullMQ' : 'Postgres table').padEnd(15)} (${f.topology}) ${f.deliveriesPerSecond.toFixed(0).padStart(6)} deliveries/s (${f.deliveries})` +
        ` | qualify→delivery at ${f.achievedRate.toFixed(0)}/s: p50 ${ms(f.p50)}, p99 ${ms(f.p99)}, max ${ms(f.max)}` +
        ` | API p50 ${ms(f.apiP50)}, p99 ${ms(f.apiP99)} | answer→delivery p50 ${ms(f.afterCommitP50)}, p99 ${ms(f.afterCommitP99)}` +
        ` | hub CPU ${f.cpuPerDelivery.toFixed(2)} ms/delivery, ${f.cpuPerQualification.toFixed(2)} ms/qualification` +
        ` | missing ${f.missing} | load ${os.loadavg()[0].toFixed(1)}\n`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
