/**
 * bench/csv-import: stream a large generated CSV through POST /v1/imports/{customers|participants}
 * and watch the process's memory while it runs. The file is generated as the upload pulls it
 * (never held), and sent with node:http, so memory growth belongs to the hub. Prints rows/s, and
 * the JS heap: its peak, and (with --expose-gc) the peak of what survives a collection.
 * Target: the live heap stays flat from 100,000 to 1,000,000 rows (bounded by the batch, not the file).
 *
 *   npm run -w bench csv-import        (BENCH_ROWS=1000000 BENCH_KIND=customers; BENCH_TRACE=1 prints the live heap as it goes)
 *   BENCH_ROWS=100000 BENCH_KIND=participants npm run -w bench csv-import
 *
 * With DATABASE_URL it runs on Postgres (in a throw-away schema); otherwise on in-memory PGlite,
 * whose storage lives in the process (outside the JS heap, inside RSS) — read the heap figures.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { loadConfig } from '../core/src/config';
import { createCampaign } from '../core/src/domain/campaigns';
import { createWorkspace } from '../core/src/domain/workspaces';
import { createHub } from '../core/src/hub';
import { createCampaignSchema } from '../core/src/schemas/campaign';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const KIND = process.env.BENCH_KIND === 'participants' ? 'participants' : 'customers';
const MB = 1024 * 1024;

/** The CSV, produced a chunk of rows at a time as the upload pulls it. */
function generatedCsv(rows: number): Readable {
  return Readable.from(
    (function* () {
      yield 'email,first_name,last_name\n';
      for (let i = 0; i < rows; ) {
        let chunk = '';
        for (let k = 0; k < 1000 && i < rows; k++, i++) chunk += `person${i}@example.com,First${i},Last${i}\n`;
        yield chunk;
      }
    })(),
  );
}

/** POST the stream with node:http (piped with backpressure; fetch keeps a little per chunk, which would blur the figures). */
function post(url: string, key: string, body: Readable): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    body.pipe(req);
  });
}

async function main(): Promise<void> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const env = { LOG_LEVEL: 'warn', PORT: '0', HOST: '127.0.0.1', ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema } : {}) };
  const hub = await createHub({ config: loadConfig(env), inMemory: true });
  const { url } = await hub.listen(0, '127.0.0.1');
  const { workspace, secret } = await createWorkspace(hub.db, 'Bench');
  const campaign = await hub.db.tx((q) => createCampaign(q, workspace.id, createCampaignSchema.parse({ name: 'Bench', destination_url: 'https://shop.example.com/' })));

  global.gc?.();
  const base = process.memoryUsage();
  let peakHeap = base.heapUsed;
  let peakRss = base.rss;
  let peakLive = base.heapUsed;
  let ticks = 0;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakHeap = Math.max(peakHeap, m.heapUsed);
    peakRss = Math.max(peakRss, m.rss);
    // With --expose-gc, collect now and then: what survives a collection is what the import holds.
    if (global.gc && ++ticks % 10 === 0) {
      global.gc();
      peakLive = Math.max(peakLive, process.memoryUsage().heapUsed);
      if (process.env.BENCH_TRACE) process.stderr.write(`${Math.round(process.memoryUsage().heapUsed / MB)} `);
    }
  }, 100);

  const started = Date.now();
  const res = await post(`${url}/v1/imports/${KIND}?campaign_id=${campaign.id}`, secret.key, generatedCsv(ROWS));
  const summary = JSON.parse(res.text) as Record<string, unknown>;
  const seconds = (Date.now() - started) / 1000;
  clearInterval(sampler);

  const db = hub.db.kind;
  await hub.close();
  if (process.env.DATABASE_URL) {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
  const { invalid: _invalid, ...counts } = summary;
  process.stdout.write(
    [
      `csv-import ${KIND}, ${ROWS.toLocaleString('en-US')} rows on ${db}: HTTP ${res.status} in ${seconds.toFixed(1)} s (${Math.round(ROWS / seconds).toLocaleString('en-US')} rows/s)`,
      `  JS heap: ${(base.heapUsed / MB).toFixed(0)} MB before, peak ${(peakHeap / MB).toFixed(0)} MB (+${((peakHeap - base.heapUsed) / MB).toFixed(0)} MB)`,
      global.gc ? `  JS heap live after collections: peak ${(peakLive / MB).toFixed(0)} MB (+${((peakLive - base.heapUsed) / MB).toFixed(0)} MB)` : '  (run with node --expose-gc for the live heap)',
      `  RSS:     ${(base.rss / MB).toFixed(0)} MB before, peak ${(peakRss / MB).toFixed(0)} MB`,
      `  summary: ${JSON.stringify(counts)}`,
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
