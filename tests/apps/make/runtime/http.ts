import { isRecord } from '../iml/evaluate';

/** A request after IML rendering, ready to send. */
export interface RenderedRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  qs: Record<string, unknown>;
  body?: unknown;
  type: string;
}

/** What the evaluator exposes to response IML as `statusCode`, `headers` and `body`. */
export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

function appendQuery(url: string, qs: Record<string, unknown>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(qs)) {
    if (v === undefined || v === null) continue;
    // Make repeats a key for array values (`list=one&list=two`).
    for (const item of Array.isArray(v) ? v : [v]) u.searchParams.append(k, typeof item === 'string' ? item : JSON.stringify(item));
  }
  return u.toString();
}

function encodeBody(req: RenderedRequest, headers: Record<string, string>): string | undefined {
  if (req.body === undefined || req.method === 'GET') return undefined;
  if (req.type === 'text' || req.type === 'string' || req.type === 'raw') {
    return typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  }
  if (req.type === 'urlencoded') {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    return new URLSearchParams(Object.entries(isRecord(req.body) ? req.body : {}).map(([k, v]) => [k, String(v)])).toString();
  }
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(req.body);
}

/** Send a rendered request with Node's fetch and parse the answer the way Make's `automatic` type does. */
export async function send(req: RenderedRequest): Promise<HttpResponse> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k.toLowerCase()] = v;
  const body = encodeBody(req, headers);
  const res = await fetch(appendQuery(req.url, req.qs), { method: req.method, headers, body, redirect: 'follow' });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let parsed: unknown = text === '' ? undefined : text;
  if (text !== '' && /json/.test(contentType)) parsed = JSON.parse(text);
  const resHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => (resHeaders[k] = v));
  return { statusCode: res.status, headers: resHeaders, body: parsed };
}
