import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Delivery } from '../runtime/runner';

/** A local HTTP endpoint standing in for the URL Make gives a webhook (`https://hook.eu1.make.com/…`). */
export interface WebhookReceiver {
  url: string;
  deliveries: Delivery[];
  /** Wait until `count` deliveries arrived (polls; fails after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: Delivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://receiver');
      const text = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
      deliveries.push({ method: req.method ?? 'POST', headers, query: Object.fromEntries(url.searchParams), body: text ? JSON.parse(text) : undefined });
      // Make answers "Accepted" to a webhook call.
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('Accepted');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook/${Math.random().toString(36).slice(2)}`,
    deliveries,
    async waitFor(count, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (deliveries.length < count) {
        if (Date.now() > until) throw new Error(`expected ${count} deliveries, got ${deliveries.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return deliveries;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
