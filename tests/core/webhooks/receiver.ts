import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request a receiver got. */
export interface Received {
  at: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: any;
}

/** What the receiver answers a request with: a status (and optional body, delay). */
export type Answer = { status: number; body?: string; delayMs?: number };

/**
 * A webhook receiver on 127.0.0.1: records every request; `answer` decides each response (200 by
 * default), so a test can fail the first tries, answer 410, or hang past the timeout.
 */
export async function startReceiver(answer: (req: Received, n: number) => Answer = () => ({ status: 200 })) {
  const received: Received[] = [];
  const waiters: Array<() => void> = [];
  const pending = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: any = null;
      try {
        json = JSON.parse(body);
      } catch {
        json = null;
      }
      const entry: Received = { at: Date.now(), headers: req.headers, body, json };
      received.push(entry);
      const a = answer(entry, received.length);
      const send = () => {
        res.writeHead(a.status, { 'content-type': 'text/plain' });
        res.end(a.body ?? 'ok');
        waiters.splice(0).forEach((w) => w());
      };
      if (a.delayMs) {
        const timer = setTimeout(() => {
          pending.delete(timer);
          send();
        }, a.delayMs);
        pending.add(timer);
      } else send();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Resolve when `predicate` holds over what was received (checked after each request). */
    async waitFor(predicate: (all: Received[]) => boolean, timeoutMs = 15_000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(received)) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met in ${timeoutMs} ms (got ${received.length} requests)`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 50);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        pending.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** Poll `fn` until it returns a truthy value (for state a test cannot be told about). */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`eventually: not true within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
