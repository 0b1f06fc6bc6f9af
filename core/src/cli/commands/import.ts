import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { z } from 'zod';
import { getCampaign } from '../../domain/campaigns';
import { importCustomers } from '../../imports/customers';
import { importParticipants } from '../../imports/participants';
import { customersImportSummarySchema, participantsImportSummarySchema, type CustomersImportSummary, type ParticipantsImportSummary } from '../../schemas/import';
import { openHubForCommand, resolveWorkspace } from '../open-hub';

type Kind = 'customers' | 'participants';
type Summary = CustomersImportSummary | ParticipantsImportSummary;

interface ImportOptions {
  campaign: string;
  workspace?: string;
  url?: string;
  key?: string;
  json?: boolean;
}

const summarySchema = z.discriminatedUnion('kind', [customersImportSummarySchema, participantsImportSummarySchema]);
const problemSchema = z.object({ detail: z.string(), errors: z.array(z.object({ path: z.string(), message: z.string() })).optional() });

/** The file as a stream that reports how many bytes have gone through (the progress bar's measure). */
function countedFile(file: string, onBytes: (n: number) => void): Readable {
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      onBytes(bytes);
      done(null, chunk);
    },
  });
  const source = fs.createReadStream(file);
  source.on('error', (err) => counter.destroy(err));
  return source.pipe(counter);
}

/**
 * POST a stream with node:http: it pipes with backpressure and holds nothing per chunk, so the
 * CLI's own memory stays flat however large the file (fetch kept a little per chunk).
 */
function postStream(url: URL, headers: Record<string, string>, body: Readable): Promise<{ status: number; text: string }> {
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    body.on('error', (err) => req.destroy(err));
    body.pipe(req);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Import in this process, on the hub's own database (the same configuration as `serve`). */
async function importHere(kind: Kind, file: string, opts: ImportOptions, bar: Progress): Promise<Summary> {
  const hub = await openHubForCommand();
  try {
    const workspaceId = await resolveWorkspace(hub, opts.workspace);
    await getCampaign(hub.db, workspaceId, opts.campaign).catch(() => {
      throw new Error(`No campaign ${opts.campaign} in workspace ${workspaceId}`);
    });
    const source = countedFile(file, (bytes) => bar.bytes(bytes));
    const run = kind === 'customers' ? importCustomers : importParticipants;
    return await run(hub, workspaceId, opts.campaign, source, (rows) => bar.rows(rows));
  } finally {
    await hub.close();
  }
}

/** Upload to a running hub over its API (`--url`, `--key`): progress is the bytes the hub has taken. */
async function importOverHttp(kind: Kind, file: string, opts: ImportOptions & { url: string }, bar: Progress): Promise<Summary> {
  const key = opts.key ?? process.env.REFERLOOP_API_KEY;
  if (!key) throw new Error('Pass the secret key with --key or REFERLOOP_API_KEY');
  const source = countedFile(file, (bytes) => bar.bytes(bytes));
  const url = new URL(`${opts.url.replace(/\/+$/, '')}/v1/imports/${kind}`);
  url.searchParams.set('campaign_id', opts.campaign);
  const res = await postStream(url, { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, source);
  const body = parseJson(res.text);
  if (res.status >= 300) {
    const problem = problemSchema.safeParse(body);
    throw new Error(`The hub answered ${res.status}: ${problem.success ? problem.data.detail : 'no details'}`);
  }
  const summary = summarySchema.safeParse(body);
  if (!summary.success) throw new Error('The hub answered with something that is not an import summary');
  return summary.data;
}

/** The bar on stderr (only drawn on a terminal): bytes of the file read, and rows applied. */
class Progress {
  private readonly bar: SingleBar;
  private rowCount = 0;
  constructor(total: number) {
    this.bar = new SingleBar({
      format: ' {bar} {percentage}% | {rows} rows | {duration_formatted} elapsed, ETA {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    });
    this.bar.start(Math.max(total, 1), 0, { rows: 0 });
  }
  bytes(n: number) {
    this.bar.update(n, { rows: this.rowCount.toLocaleString('en-US') });
  }
  rows(n: number) {
    this.rowCount = n;
    this.bar.update({ rows: n.toLocaleString('en-US') });
  }
  stop() {
    this.bar.stop();
  }
}

const n = (v: number) => v.toLocaleString('en-US');

/** The summary in words, for a person at a terminal. */
export function describeSummary(s: Summary, file: string): string {
  const lines = [`${path.basename(file)} → campaign ${s.campaign_id}: ${n(s.rows)} rows in ${(s.duration_ms / 1000).toFixed(1)} s`];
  if (s.kind === 'customers') {
    lines.push(
      `  matched ${n(s.matched)}: qualified ${n(s.qualified)}, already qualified ${n(s.already_qualified)}, held for review ${n(s.held_for_review)}, ` +
        `not referred ${n(s.not_referred)}, unqualified ${n(s.unqualified)}`,
      `  not found ${n(s.not_found)}`,
    );
  } else {
    lines.push(`  created ${n(s.created)} (referred ${n(s.referred)}), already there ${n(s.existing)}`);
  }
  lines.push(`  invalid ${n(s.invalid_count)}`);
  for (const row of s.invalid.slice(0, 20)) lines.push(`    line ${row.line}: ${row.reason}`);
  if (s.invalid_count > 20) lines.push(`    … ${n(s.invalid_count - 20)} more (--json lists up to ${n(s.invalid.length)})`);
  return `${lines.join('\n')}\n`;
}

export function registerImportCommands(program: Command): void {
  const cmd = program.command('import').description('Import a CSV file: a customer list (qualifies referrals) or participants');
  for (const kind of ['customers', 'participants'] as const) {
    cmd
      .command(kind)
      .argument('<file>', 'CSV file with a header line')
      .description(
        kind === 'customers'
          ? 'Qualify the pending referrals whose email (or code) is in the file'
          : 'Add participants in bulk (email, first_name, last_name, external_id, referrer_code)',
      )
      .requiredOption('-c, --campaign <id>', 'campaign id')
      .option('-w, --workspace <id>', 'workspace id (default: the only workspace)')
      .option('--url <url>', 'send the file to a running hub at this URL instead of opening the database here (env REFERLOOP_URL)')
      .option('--key <key>', 'secret API key for --url (env REFERLOOP_API_KEY)')
      .option('--json', 'print the summary as JSON')
      .action(async (file: string, opts: ImportOptions) => {
        const size = fs.statSync(file).size;
        const url = opts.url ?? process.env.REFERLOOP_URL;
        const bar = new Progress(size);
        let summary: Summary;
        try {
          summary = url ? await importOverHttp(kind, file, { ...opts, url }, bar) : await importHere(kind, file, opts, bar);
        } finally {
          bar.stop();
        }
        process.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : describeSummary(summary, file));
      });
  }
}
