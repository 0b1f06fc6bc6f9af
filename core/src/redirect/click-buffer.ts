import type { Logger } from '../lib/logger';
import type { ClickRecord } from './click-insert';
import type { ClickWriter } from './click-writer';

export type { ClickRecord } from './click-insert';

export interface ClickBufferOptions {
  /** Longest a click waits before its batch is sent. */
  intervalMs?: number;
  /** Send at once when this many clicks wait. */
  maxRows?: number;
  /** Most clicks in one insert. */
  maxBatch?: number;
  /** Clicks held (not yet written) before new ones are dropped, when the database stays down. */
  maxPending?: number;
  /** First retry delay after a failed write; it doubles up to 5 s. */
  retryMs?: number;
  /** Failed attempts after which flush() gives up and leaves the clicks buffered. */
  flushAttempts?: number;
  /** How long a written click can still be found with get(): callers look in the database first, then here. */
  graceMs?: number;
}

const MAX_RETRY_MS = 5_000;

/**
 * Clicks are written off the response path: buffered, then handed to a writer as one batch every
 * `intervalMs` or as soon as `maxRows` are waiting, one batch at a time and in order. A click stays
 * here (and get() finds it) until the writer acknowledges its batch; a failed batch goes back to the
 * front and is sent again with backoff (the insert skips clicks already stored, so a batch that was
 * committed but not acknowledged is not written twice). A clean shutdown flushes; a hard crash loses
 * the clicks not yet acknowledged — at most a few batches. If the database is down, clicks wait
 * (up to `maxPending`).
 */
export class ClickBuffer {
  /** Not sent yet (or sent and failed), oldest first. */
  private queue: ClickRecord[] = [];
  /** The batch the writer has now. */
  private sending: readonly ClickRecord[] = [];
  /** Batches acknowledged within the grace period. */
  private recent: Array<{ at: number; batch: readonly ClickRecord[] }> = [];
  private inFlight: Promise<boolean> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  /** Clicks accepted and clicks acknowledged, counted in order: written ones are always a prefix. */
  private added = 0;
  private written = 0;
  private closed = false;
  private readonly intervalMs: number;
  private readonly maxRows: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;
  private readonly retryMs: number;
  private readonly flushAttempts: number;
  private readonly graceMs: number;

  constructor(
    /** Where batches go. */
    readonly writer: ClickWriter,
    private readonly log: Logger,
    options: ClickBufferOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 20;
    this.maxRows = options.maxRows ?? 500;
    this.maxBatch = options.maxBatch ?? 5_000;
    this.maxPending = options.maxPending ?? 100_000;
    this.retryMs = options.retryMs ?? 100;
    this.flushAttempts = options.flushAttempts ?? 5;
    this.graceMs = options.graceMs ?? 250;
  }

  add(click: ClickRecord): void {
    if (this.closed || this.added - this.written >= this.maxPending) {
      this.log.error({ dropped: 1, closed: this.closed }, 'click buffer full or closed; dropping a click');
      return;
    }
    this.added++;
    this.queue.push(click);
    // While retrying after a failure, the backoff timer decides when the next attempt goes.
    if (this.queue.length >= this.maxRows && this.failures === 0) this.kick();
    else this.timer ??= setTimeout(() => this.kick(), this.intervalMs);
  }

  /**
   * A click not written yet, or written moments ago (a sign-up can follow its click within
   * milliseconds). A scan rather than an index: sign-ups are rare next to clicks, and the redirect
   * should not pay for a map entry per click.
   */
  get(id: string): ClickRecord | undefined {
    const found = this.queue.find((c) => c.id === id) ?? this.sending.find((c) => c.id === id);
    if (found) return found;
    for (const { batch } of this.recent) {
      const written = batch.find((c) => c.id === id);
      if (written) return written;
    }
    return undefined;
  }

  /** Clicks accepted and not written yet. */
  get size(): number {
    return this.added - this.written;
  }

  /**
   * Write every click accepted so far; resolves once they are all acknowledged, or after
   * `flushAttempts` failed attempts in a row (the clicks then stay buffered and are retried later).
   */
  async flush(): Promise<void> {
    const target = this.added;
    let failed = 0;
    while (this.written < target) {
      this.kick();
      const attempt = this.inFlight;
      if (!attempt) return;
      if (await attempt) {
        failed = 0;
        continue;
      }
      if (++failed >= this.flushAttempts) {
        this.log.error({ clicks: target - this.written, attempts: failed }, 'clicks could not be written yet; they stay buffered');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, this.backoffMs()));
    }
  }

  /** Flush, stop accepting clicks and release the writer (its thread drains and exits). */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight) await this.inFlight;
    if (this.size > 0) this.log.error({ clicks: this.size }, 'clicks not written before shutdown');
    await this.writer.close();
  }

  /** Send the next batch now, unless one is on its way. */
  private kick(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight || this.queue.length === 0 || this.closed) return;
    this.inFlight = this.writeNext();
  }

  private async writeNext(): Promise<boolean> {
    const whole = this.queue.length <= this.maxBatch;
    const batch = whole ? this.queue : this.queue.slice(0, this.maxBatch);
    this.queue = whole ? [] : this.queue.slice(this.maxBatch);
    this.sending = batch;
    let ok = true;
    try {
      await this.writer.write(batch);
    } catch (err) {
      ok = false;
      this.failures++;
      this.queue = batch.concat(this.queue);
      this.log.error({ err, clicks: batch.length, failures: this.failures }, 'writing clicks failed; will retry');
    }
    if (ok) {
      this.failures = 0;
      this.written += batch.length;
      this.keepRecent(batch);
    }
    this.sending = [];
    this.inFlight = null;
    this.scheduleNext();
    return ok;
  }

  private scheduleNext(): void {
    if (this.queue.length === 0 || this.closed) return;
    if (this.failures > 0) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.kick(), this.backoffMs());
    } else if (this.queue.length >= this.maxRows) {
      this.kick();
    } else {
      this.timer ??= setTimeout(() => this.kick(), this.intervalMs);
    }
  }

  private backoffMs(): number {
    return Math.min(this.retryMs * 2 ** Math.max(0, this.failures - 1), MAX_RETRY_MS);
  }

  /**
   * Keep an acknowledged batch findable for `graceMs`: a caller that missed the click in the
   * database a moment before it was committed still finds it here afterwards.
   */
  private keepRecent(batch: readonly ClickRecord[]): void {
    const now = Date.now();
    this.recent.push({ at: now, batch });
    let expired = 0;
    while (expired < this.recent.length && this.recent[expired].at <= now - this.graceMs) expired++;
    if (expired > 0) this.recent = this.recent.slice(expired);
  }
}
