/**
 * bench/redirect: the /r/{code} hot path against a bare node:http server answering the same 302.
 * Prints requests/s, p50/p99 latency and the hub/bare ratio, on PGlite and (with DATABASE_URL) Postgres.
 * Target on Postgres: ratio ≥ 0.6 and p99 < 10 ms.
 *
 *   npm run -w bench redirect            (BENCH_SECONDS=10 BENCH_CONNECTIONS=50 by default)
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../core/src/config';
import { createWorkspace } from '../core/src/domain/workspaces';
import { createHub } from '../core/src/hub';

const run = promisify(execFile);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const AUTOCANNON = path.resolve(__dirname, '../node_modules/autocannon/autocannon.js');

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  non2xx3xx: number;
}

/** The load generator runs in its own process so it does not share the server's event loop. */
async function load(url: string, seconds = SECONDS): Promise<Figures> {
  const { stdout } = await run(process.execPath, [AUTOCANNON, '-j', '-c', String(CONNECTIONS), '-d', String(seconds), '-H', 'user-agent=Mozilla/5.0 bench', url], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const r = JSON.parse(stdout) as { requests: { average: number }; latency: { p50: number; p99: number }; non2xx: number; '3xx'?: number; statusCodeStats?: Record<string, { count: number }> };
  const redirects = r.statusCodeStats?.['302']?.count ?? 0;
  const total = Object.values(r.statusCodeStats ?? {}).reduce((a, s) => a + s.count, 0);
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, non2xx3xx: total - redirects };
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

async function hub(kind: 'pglite' | 'postgres'): Promise<Figures & { clicks: number }> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const env = {
    LOG_LEVEL: 'warn',
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
  await load(url, 2);
  const figures = await load(url);
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
  return { ...figures, clicks: n };
}

function row(name: string, f: Figures, base?: Figures): string {
  const ratio = base ? (f.rps / base.rps).toFixed(2) : '1.00';
  return `${name.padEnd(18)} ${f.rps.toFixed(0).padStart(8)} req/s   p50 ${String(f.p50).padStart(3)} ms   p99 ${String(f.p99).padStart(3)} ms   ratio ${ratio}   non-302 ${f.non2xx3xx}`;
}

async function main(): Promise<void> {
  process.stdout.write(`bench/redirect: ${CONNECTIONS} connections, ${SECONDS} s per run, Node ${process.version}\n`);
  const base = await bare();
  process.stdout.write(`${row('bare node:http', base)}\n`);
  const kinds: Array<'pglite' | 'postgres'> = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
  for (const kind of kinds) {
    const f = await hub(kind);
    process.stdout.write(`${row(`hub on ${kind}`, f, base)}   clicks stored ${f.clicks}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
