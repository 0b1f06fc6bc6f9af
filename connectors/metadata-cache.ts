/**
 * Slow-changing vendor metadata (pipelines and their stages, picklist labels) kept per account in
 * memory, so naming a stage costs no vendor call most of the time. An entry lives `ttlMs`; one
 * that lacks what is asked (a stage added since) is read again, but at most once per `retryMs`,
 * so an id that never appears cannot turn every event into a vendor call. Concurrent asks for
 * one account share a single read.
 */
export class MetadataCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; at: number }>();

  constructor(private readonly opts: { ttlMs: number; retryMs: number; maxEntries: number }) {}

  /** The account's metadata: cached, or read with `load` when missing, expired, or lacking what `has` looks for. */
  async get(key: string, load: () => Promise<T>, has?: (value: T) => boolean): Promise<T> {
    const now = Date.now();
    const entry = this.entries.get(key);
    if (entry && now - entry.at < this.opts.ttlMs) {
      const value = await entry.value;
      if (!has || has(value) || now - entry.at < this.opts.retryMs) return value;
    }
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { value, at: now });
    // A failed read is not kept: the next ask tries again.
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    while (this.entries.size > this.opts.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    return value;
  }

  /** Forget everything (tests that change an account's metadata in place). */
  clear(): void {
    this.entries.clear();
  }
}
