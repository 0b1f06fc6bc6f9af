/**
 * A fixed-window request counter per client (per IP hash on the tracking routes). It lives in the
 * process: behind several hub processes each counts its own share, which is enough to stop one
 * browser or script from flooding the public routes. Old windows are dropped lazily.
 */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxClients = 50_000,
  ) {}

  /** Count one request; returns the seconds to wait when the client is over its limit, else 0. */
  hit(client: string, now = Date.now()): number {
    let w = this.windows.get(client);
    if (!w || now - w.start >= this.windowMs) {
      if (this.windows.size >= this.maxClients) this.sweep(now);
      w = { start: now, count: 0 };
      this.windows.set(client, w);
    }
    w.count++;
    return w.count > this.limit ? Math.max(1, Math.ceil((w.start + this.windowMs - now) / 1000)) : 0;
  }

  private sweep(now: number): void {
    for (const [client, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(client);
    // Still full of live clients (a flood of distinct IPs): start over rather than grow without bound.
    if (this.windows.size >= this.maxClients) this.windows.clear();
  }
}
