import { backoffMs, getConnector, pollResultSchema, type PollResult } from '@referloop/connectors';
import type { HubContext } from '../context';
import { Poller } from '../jobs/poller';
import type { Logger } from '../lib/logger';
import { openIntegration } from './connector-context';
import { storeSignals } from './inbound';
import type { IntegrationRow } from './rows';
import { settleVendorFailure } from './vendor-calls';

/**
 * Change streams: vendors whose changes arrive over a subscription we keep open (Salesforce Change
 * Data Capture) rather than webhooks or polls. They belong to the worker: `startBackground` runs
 * this supervisor in every consuming process, next to the job runner, and stops it with them.
 *
 * Every second it compares the integrations whose settings ask for a stream with the streams it
 * runs: a connected one gets its stream (if no other worker holds it: one lease per integration in
 * `install_settings`, renewed while the stream runs, taken over when a dead worker's lease ends);
 * a disconnected, reconfigured or reconnected one has its stream closed (and reopened with the new
 * settings). Each delivered change is stored like an inbound webhook's signals (deduped on their
 * event ids, applied by the same job), then the cursor after it, under a key naming the connection:
 * a restart resumes from the last stored cursor, a reconnection after a disconnect starts afresh.
 * A failed stream is settled like any vendor call (401 → needs_reconnect) and reopened after a backoff.
 */

const LEASE_MS = 30_000;
const RENEW_EVERY_MS = LEASE_MS / 3;

const leaseKey = (id: string) => `integration:${id}:stream_lease`;
const cursorKey = (row: Pick<IntegrationRow, 'id' | 'connected_at'>) => `integration:${row.id}:stream_cursor:${row.connected_at ? row.connected_at.getTime() : 0}`;
// Lease values read `<expiry, ms since the epoch on the database clock>|<worker id>`.
const LEASE_VALUE = `((extract(epoch from now()) * 1000)::bigint + $2::bigint)::text || '|' || $3::text`;
const HELD_BY = (worker: string) => `split_part(value, '|', 2) = ${worker}`;

/** What makes a stream reopen when it changes: the settings, the host, the credentials, the connection. */
function fingerprintOf(row: IntegrationRow): string {
  return JSON.stringify([row.settings, row.api_base_url, row.credentials, row.connected_at?.getTime() ?? null]);
}

interface Running {
  fingerprint: string;
  controller: AbortController;
  done: Promise<void>;
}

export interface ChangeStreamsOptions {
  workerId: string;
  log: Logger;
  /** how often streams are compared with the integrations; default 1 s */
  checkMs?: number;
}

export class ChangeStreams {
  private readonly running = new Map<string, Running>();
  private readonly failures = new Map<string, { attempt: number; retryAt: number }>();
  private readonly poller: Poller;
  private lastRenew = 0;

  constructor(
    private readonly hub: HubContext,
    private readonly opts: ChangeStreamsOptions,
  ) {
    const every = opts.checkMs ?? 1000;
    this.poller = new Poller('change-streams', () => this.tick(), { log: opts.log, minMs: every, maxMs: every });
  }

  start(): void {
    this.poller.start();
  }

  /** Close every stream (their deliveries in flight finish first) and give their leases back. */
  async stop(): Promise<void> {
    await this.poller.stop();
    for (const run of this.running.values()) run.controller.abort(new Error('worker shutting down'));
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  private async tick(): Promise<boolean> {
    const wanted = new Map<string, IntegrationRow>();
    const rows = await this.hub.db.query<IntegrationRow>("SELECT * FROM integrations WHERE status IN ('connected', 'error') ORDER BY id");
    for (const row of rows) {
      const connector = await getConnector(row.vendor);
      if (!connector?.streamChanges || !connector.streamsChanges) continue;
      const settings = connector.settingsSchema.safeParse(row.settings);
      if (settings.success && connector.streamsChanges(settings.data)) wanted.set(row.id, row);
    }
    for (const [id, run] of this.running) {
      const row = wanted.get(id);
      if (!row || fingerprintOf(row) !== run.fingerprint) run.controller.abort(new Error('the integration was disconnected or reconfigured'));
    }
    await this.renewLeases();
    for (const [id, row] of wanted) {
      if (this.running.has(id) || (this.failures.get(id)?.retryAt ?? 0) > Date.now()) continue;
      if (await this.claim(id)) this.launch(row);
    }
    return false;
  }

  private async claim(id: string): Promise<boolean> {
    const taken = await this.hub.db.query(
      `INSERT INTO install_settings (key, value) VALUES ($1, ${LEASE_VALUE})
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
         WHERE split_part(install_settings.value, '|', 2) = $3 OR split_part(install_settings.value, '|', 1)::bigint < (extract(epoch from now()) * 1000)::bigint
       RETURNING key`,
      [leaseKey(id), LEASE_MS, this.opts.workerId],
    );
    return taken.length > 0;
  }

  /** Extend our leases; a stream whose lease another worker took over (we stalled) is closed. */
  private async renewLeases(): Promise<void> {
    if (this.running.size === 0 || Date.now() - this.lastRenew < RENEW_EVERY_MS) return;
    this.lastRenew = Date.now();
    const ids = [...this.running.keys()];
    const kept = await this.hub.db.query<{ key: string }>(`UPDATE install_settings SET value = ${LEASE_VALUE} WHERE key = ANY($1::text[]) AND ${HELD_BY('$3')} RETURNING key`, [
      ids.map(leaseKey),
      LEASE_MS,
      this.opts.workerId,
    ]);
    const held = new Set(kept.map((k) => k.key));
    for (const id of ids) if (!held.has(leaseKey(id))) this.running.get(id)?.controller.abort(new Error('another worker holds the stream'));
  }

  private launch(row: IntegrationRow): void {
    const controller = new AbortController();
    const log = this.opts.log.child({ integration_id: row.id, vendor: row.vendor });
    const done = this.run(row, controller.signal, log).finally(async () => {
      this.running.delete(row.id);
      await this.hub.db
        .query(`DELETE FROM install_settings WHERE key = $1 AND ${HELD_BY('$2')}`, [leaseKey(row.id), this.opts.workerId])
        .catch((err: unknown) => log.warn({ err }, 'could not give back a change stream lease'));
    });
    this.running.set(row.id, { fingerprint: fingerprintOf(row), controller, done });
  }

  private async run(row: IntegrationRow, signal: AbortSignal, log: Logger): Promise<void> {
    const key = cursorKey(row);
    try {
      const opened = await openIntegration(this.hub, row, signal);
      const stream = opened.connector.streamChanges;
      if (!stream) return;
      const [saved] = await this.hub.db.query<{ value: string }>('SELECT value FROM install_settings WHERE key = $1', [key]);
      log.info({ resumes: saved !== undefined }, 'change stream opened');
      await stream(opened.ctx, { cursor: saved?.value ?? null, deliver: (batch) => this.deliver(row, key, batch) });
      log.info('change stream closed');
    } catch (err) {
      if (signal.aborted) return;
      const failure = this.failures.get(row.id);
      const attempt = (failure?.attempt ?? 0) + 1;
      const decision = await settleVendorFailure(this.hub, row, err, 1).catch(() => null);
      // A dropped session or a retryable failure reopens with backoff (as long as the vendor asks, if longer);
      // a refusal (Change Data Capture not enabled) is looked at again after the longest backoff.
      const backoff = backoffMs({ attempt: decision?.action === 'fail' ? 10 : attempt, baseDelayMs: 1000, maxDelayMs: 5 * 60_000 });
      const delayMs = decision?.action === 'retry' ? Math.max(decision.delayMs, backoff) : backoff;
      this.failures.set(row.id, { attempt, retryAt: Date.now() + delayMs });
      log.warn({ err: err instanceof Error ? err.message : String(err), decision: decision?.action ?? 'error', retry_in_ms: delayMs }, 'change stream failed');
    }
  }

  /** Store one change's signals, then the cursor after it (only while this worker holds the stream). */
  private async deliver(row: IntegrationRow, key: string, raw: PollResult): Promise<void> {
    const batch = pollResultSchema.parse(raw);
    if (batch.signals.length > 0) await storeSignals(this.hub, row, batch.signals);
    const stored = await this.hub.db.query(
      `INSERT INTO install_settings (key, value) SELECT $1, $2
         WHERE EXISTS (SELECT 1 FROM install_settings WHERE key = $3 AND ${HELD_BY('$4')})
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value RETURNING key`,
      [key, batch.cursor, leaseKey(row.id), this.opts.workerId],
    );
    if (stored.length === 0) throw new Error('the change stream lease was lost: another worker carries on');
    this.failures.delete(row.id);
  }
}
