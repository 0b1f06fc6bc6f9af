import type { Logger } from '../lib/logger';
import { onRing, type WakeTopic } from './wake';

export interface PollerOptions {
  /** Delay after a ring or after work was found but the batch was not full. */
  minMs?: number;
  /** Idle polling slows down (doubling) to this interval. */
  maxMs?: number;
  /** Wake at once when this topic rings in-process. */
  wakeOn?: WakeTopic;
  log: Logger;
}

/** What a tick found: a full batch (look again at once), some work (look again soon), or nothing. */
export type TickResult = 'full' | 'some' | 'none';

/** Classify a tick that handled `n` items with batches of `batch`. */
export const tickResult = (n: number, batch: number): TickResult => (n >= batch ? 'full' : n > 0 ? 'some' : 'none');

/**
 * Calls `tick` in a loop that is cheap when idle: after a full batch it runs again at once, after
 * some work it looks again after minMs; when idle it waits minMs, doubling up to maxMs. A ring (or `wake()`) cuts the wait
 * short and restarts the fast phase, which also covers a ring that came before its transaction
 * committed. Errors are logged and slow the loop to maxMs.
 */
export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private idleMs: number;
  private stopped = false;
  private rerun = false;
  private readonly minMs: number;
  private readonly maxMs: number;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly name: string,
    /** What each poll does; a boolean means full (true) or none (false). */
    private readonly tick: () => Promise<TickResult | boolean>,
    private readonly opts: PollerOptions,
  ) {
    this.minMs = opts.minMs ?? 10;
    this.maxMs = opts.maxMs ?? 1000;
    this.idleMs = this.minMs;
    this.unsubscribe = opts.wakeOn ? onRing(opts.wakeOn, () => this.wake()) : () => undefined;
  }

  start(): void {
    this.schedule(0);
  }

  /** Poll now (or right after the tick in progress) and poll fast for a while. */
  wake(): void {
    if (this.stopped) return;
    this.idleMs = this.minMs;
    if (this.running) {
      this.rerun = true;
      return;
    }
    this.schedule(0);
  }

  /** Stop polling; resolves when the tick in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => this.run(), ms);
    // An idle poller must not keep a CLI process or a test alive on its own.
    this.timer.unref();
  }

  private run(): void {
    if (this.running || this.stopped) return;
    this.rerun = false;
    this.running = this.tick().then(
      (answer) => {
        this.running = undefined;
        const result: TickResult = answer === true ? 'full' : answer === false ? 'none' : answer;
        if (result === 'full' || this.rerun) {
          this.idleMs = this.minMs;
          this.schedule(0);
        } else if (result === 'some') {
          // Work is trickling in (perhaps from another process, which cannot ring here): stay fast.
          this.idleMs = this.minMs;
          this.schedule(this.minMs);
        } else {
          this.schedule(this.idleMs);
          this.idleMs = Math.min(this.idleMs * 2, this.maxMs);
        }
      },
      (err: unknown) => {
        this.running = undefined;
        if (!this.stopped) this.opts.log.error({ err, poller: this.name }, 'background poll failed');
        this.schedule(this.maxMs);
      },
    );
  }
}
