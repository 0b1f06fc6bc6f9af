/**
 * A small bounded memo for pure per-request computations on the redirect path (bot verdict per
 * user agent, salted hash per IP): the same values repeat, the work does not need to.
 */
export class Memo<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max = 10_000) {}

  get(key: string, compute: (key: string) => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) return hit;
    const value = compute(key);
    if (this.map.size >= this.max) this.map.clear();
    this.map.set(key, value);
    return value;
  }
}
