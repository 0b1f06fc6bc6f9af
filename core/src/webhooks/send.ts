import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { guardedLookup, isPrivateAddress } from './ssrf';

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  signal?: AbortSignal;
}

export type WebhookResponse =
  | { ok: true; status: number; body: string; durationMs: number }
  | { ok: false; status: number | null; body: string | null; error: string | null; durationMs: number };

/** Receivers' answers are kept in the delivery log only up to this size. */
const KEPT_BODY_BYTES = 2048;

// Keep-alive agents: a busy endpoint gets many deliveries a second, one TLS handshake is enough.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 50 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 50 }),
};

/**
 * POST one delivery. Any 2xx is success; other statuses, timeouts, refused targets and network
 * errors are failures described for the delivery log. Never throws.
 */
export function sendWebhook(req: WebhookRequest): Promise<WebhookResponse> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return resolve({ ok: false, status: null, body: null, error: 'invalid URL', durationMs: 0 });
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    // IP literals skip DNS lookup entirely, so the connect-time guard must look at them here.
    if (!req.allowPrivate && net.isIP(host) && isPrivateAddress(host)) {
      return resolve({ ok: false, status: null, body: null, error: `refused: ${host} is a private address`, durationMs: 0 });
    }
    const isHttps = url.protocol === 'https:';
    const signal = req.signal ? AbortSignal.any([req.signal, AbortSignal.timeout(req.timeoutMs)]) : AbortSignal.timeout(req.timeoutMs);
    const request = (isHttps ? https : http).request(
      url,
      {
        method: 'POST',
        agent: agents[isHttps ? 'https:' : 'http:'],
        headers: { ...req.headers, 'content-length': String(Buffer.byteLength(req.body)) },
        lookup: guardedLookup(req.allowPrivate),
        signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (chunk: Buffer) => {
          if (kept < KEPT_BODY_BYTES) {
            chunks.push(chunk);
            kept += chunk.length;
          }
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks).subarray(0, KEPT_BODY_BYTES).toString('utf8');
          if (status >= 200 && status < 300) resolve({ ok: true, status, body, durationMs: elapsed() });
          else resolve({ ok: false, status, body, error: `HTTP ${status}`, durationMs: elapsed() });
        });
        res.on('error', (err) => resolve({ ok: false, status: res.statusCode ?? null, body: null, error: err.message, durationMs: elapsed() }));
      },
    );
    request.on('error', (err: NodeJS.ErrnoException) => {
      const timedOut = signal.aborted && !req.signal?.aborted;
      const error = timedOut ? `timed out after ${req.timeoutMs} ms` : err.code === 'EPRIVATEADDRESS' ? err.message : `${err.code ?? 'error'}: ${err.message}`;
      resolve({ ok: false, status: null, body: null, error, durationMs: elapsed() });
    });
    request.end(req.body);
  });
}
