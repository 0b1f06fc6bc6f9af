import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as Zapier's hook endpoint would receive it. */
export interface CaughtRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A stand-in for Zapier's per-Zap target URL (hooks.zapier.com) on 127.0.0.1: it answers 200 and
 * keeps every request so a test can hand it to the trigger's `perform`.
 */
export async function startTargetServer() {
  const caught: CaughtRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      caught.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"success"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    caught,
    /** Wait until a request to `path` arrived (deliveries are sent by the hub's job runner). */
    async waitFor(path: string, timeoutMs = 20_000): Promise<CaughtRequest> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = caught.find((r) => r.path === path);
        if (hit) return hit;
        if (Date.now() > deadline) throw new Error(`no delivery to ${path} within ${timeoutMs} ms (got ${caught.map((r) => r.path).join(', ') || 'nothing'})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The request the way Zapier hands it to `perform`: the parsed JSON body as `cleanedRequest`, the
 * raw body and headers (prefixed `Http-`, as Zapier does) as `rawRequest`.
 */
export function asZapierRequest(request: CaughtRequest) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') {
      headers[`Http-${name.replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase())}`] = value;
    }
  }
  const cleanedRequest: unknown = JSON.parse(request.body);
  return {
    cleanedRequest,
    rawRequest: { method: 'POST' as const, querystring: '', headers, content: request.body },
  };
}
