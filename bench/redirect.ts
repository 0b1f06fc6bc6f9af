/**
 * bench/redirect: the /r/{code} hot path against a bare node:http server answering the same 302.
 * Prints requests/s, p50/p99 latency and the hub/bare ratio, on PGlite and (with DATABASE_URL) Postgres,
 * for each of BENCH_RUNS rounds (bare, then each hub, interleaved so a noisy machine hits all alike) and
 * their medians, with the load average around the runs and the hub's CPU time per request.
 * Target on Postgres: ratio ≥ 0.6 and p99 < 10 ms.
 *
 *   npm run -w bench redirect            (BENCH_SECONDS=10 BENCH_CONNECTIONS=50 BENCH_RUNS=3 by default)
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../core/src/config';
import { createWorkspace } from '../core/src/domain/workspaces';
import { createHub } from '../core/src/hub';

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const AUTOCANNON = path.resolve(__dirname, '../node_modules/autocannon/autocannon.js');

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx3xx: number;
  requests: number;
}

interface HubFigures extends Figures {
  /** Clicks in the database after the run, and the redirects autocannon saw answered (warm-up included). */
  clicks: number;
  answered: number;
  /** CPU time of the whole hub process (every thread) per request, in µs. */
  cpuPerRequest: number;
  /** CPU time of the main thread alone per request, in µs (Linux; null elsewhere). */
  mainCpuPerRequest: number | null;
}

/** CPU time (ms) the main thread has used, from /proc (Linux only). */
function mainThreadCpuMs(): number | null {
  const file = `/proc/self/task/${process.pid}/stat`;
  if (!fs.existsSync(file)) return null;
  const fields = fs.readFileSync(file, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** The load generator runs in its own process so it does not share the server's event loop. */
async function load(url: string, seconds = SECONDS): Promise<Figures> {
  const { stdout } = await run(process.execPath, [AUTOCANNON, '-j', '-c', String(CONNECTIONS), '-d', String(seconds), '-H', 'user-agent=Mozilla/5.0 bench', url], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; '3xx'?: number; statusCodeStats?: Record<string, { count: number }> };
  const redirects = r.statusCodeStats?.['302']?.count ?? 0;
  const total = Object.values(r.statusCodeStats ?? {}).reduce((a, s) => a + s.count, 0);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx3xx: total - redirects, requests: total };
}

async function bare(): Promise<Figures> {
  const server = http.createServer((req, res) => {
    res.writeHead(302, { Location: `https://acme.example/signup?ref=ABCDEFGH&rl_click=clk_${Date.now()}`, 'Cache-Control': 'no-store' });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  await load(`http://127.0.0.1:${port}/r/ABCDEFGH`, 2);
  const figures = await load(`http://127.0.0.1:${port}/r/ABCDEFGH`);
  await new Promise<void>((r) => server.close(() => r()));
  return figures;
}

async function hub(kind: 'pglite' | 'postgres'): Promise<HubFigures> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const env = {
    LOG_LEVEL: 'warn',
    REFERLOOP_SECRET: randomBytes(32).toString('hex'),
    PORT: '0',
    HOST: '127.0.0.1',
    ...(kind === 'postgres' ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
  };
  const h = await createHub({ config: loadConfig(env), inMemory: true });
  const { port } = await h.listen(0, '127.0.0.1');
  const { workspace } = await createWorkspace(h.db, 'bench');
  const campaignId = `cmp_${'0'.repeat(26)}`;
  await h.db.query(
    `INSERT INTO campaigns (id, workspace_id, name, slug, status, destination_url, code_length, attribution, attribution_window_days, cookie_days, review_mode, inbound_token)
     VALUES ($1, $2, 'bench', $3, 'live', 'https://acme.example/signup', 8, 'last_click', 30, 30, 'auto', $3)`,
    [campaignId, workspace.id, `bench-${schema}`],
  );
  await h.db.query(
    `INSERT INTO participants (id, workspace_id, campaign_id, type, email, email_key, email_canonical, code, share_token)
     VALUES ('par_${'0'.repeat(26)}', $1, $2, 'direct', 'a@example.com', 'a@example.com', 'a@example.com', 'ABCDEFGH', 'tok')`,
    [workspace.id, campaignId],
  );
  const url = `http://127.0.0.1:${port}/r/ABCDEFGH?src=bench`;
  const warm = await load(url, 2);
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpuMs();
  const figures = await load(url);
  const cpu = process.cpuUsage(cpu0);
  const main1 = mainThreadCpuMs();
  await h.clicks.flush();
  const [{ n }] = await h.db.query<{ n: number }>('SELECT count(*) AS n FROM clicks');
  await h.close();
  if (kind === 'postgres') {
    const pg = await import('pg');
    const c = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query(`DROP SCHEMA "${schema}" CASCADE`);
    await c.end();
  }
  return {
    ...figures,
    clicks: n,
    answered: warm.requests + figures.requests,
    cpuPerRequest: (cpu.user + cpu.system) / figures.requests,
    mainCpuPerRequest: main0 === null || main1 === null ? null : ((main1 - main0) * 1000) / figures.requests,
  };
}

function row(name: string, f: Figures, base?: Figures): string {
  const ratio = base ? (f.rps / base.rps).toFixed(2) : '1.00';
  return `${name.padEnd(18)} ${f.rps.toFixed(0).padStart(8)} req/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms   ratio ${ratio}   non-302 ${f.non2xx3xx}`;
}

function hubRow(name: string, f: HubFigures, base: Figures): string {
  const main = f.mainCpuPerRequest === null ? '' : `, main thread ${f.mainCpuPerRequest.toFixed(1)}`;
  return `${row(name, f, base)}   clicks stored ${f.clicks} of ${f.answered} answered   CPU µs/request: hub ${f.cpuPerRequest.toFixed(1)}${main}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function medianFigures(runs: Figures[]): Figures {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    non2xx3xx: runs.reduce((a, r) => a + r.non2xx3xx, 0),
    requests: runs.reduce((a, r) => a + r.requests, 0),
  };
}

const load1 = () => os.loadavg()[0].toFixed(2);

async function main(): Promise<void> {
  process.stdout.write(`bench/redirect: ${CONNECTIONS} connections, ${SECONDS} s per run, ${RUNS} runs, Node ${process.version}, ${os.cpus().length} CPUs\n`);
  process.stdout.write(`load average before: ${load1()}\n`);
  const kinds: Array<'pglite' | 'postgres'> = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  const bares: Figures[] = [];
  const hubs = new Map<string, HubFigures[]>(kinds.map((k) => [k, []]));
  for (let run = 1; run <= RUNS; run++) {
    const base = await bare();
    bares.push(base);
    process.stdout.write(`run ${run} (load ${load1()})\n  ${row('bare node:http', base)}\n`);
    for (const kind of kinds) {
      const f = await hub(kind);
      hubs.get(kind)?.push(f);
      process.stdout.write(`  ${hubRow(`hub on ${kind}`, f, base)}\n`);
      if (f.clicks < f.answered) process.stdout.write(`  !! ${f.answered - f.clicks} clicks missing\n`);
    }
  }
  const base = medianFigures(bares);
  process.stdout.write(`medians of ${RUNS} runs (load average after: ${load1()})\n  ${row('bare node:http', base)}\n`);
  for (const [kind, runs] of hubs) {
    const m = medianFigures(runs);
    process.stdout.write(`  ${row(`hub on ${kind}`, m, base)}   CPU µs/request: hub ${median(runs.map((r) => r.cpuPerRequest)).toFixed(1)}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
