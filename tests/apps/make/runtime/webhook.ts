import { isRecord, render, type Scope } from '../iml/evaluate';
import type { Delivery } from './runner';

/**
 * The webhook's own communication runs on each incoming request (no outgoing HTTP call): `condition`
 * decides whether it produces bundles, `iterate`/`output` shape them, `respond` is Make's reply.
 */
const SUPPORTED = new Set(['output', 'respond', 'iterate', 'condition', 'verification']);

export interface WebhookOutcome {
  bundles: unknown[];
  respond?: unknown;
}

export function renderWebhook(code: unknown, delivery: Delivery, extra: Scope): WebhookOutcome {
  if (!isRecord(code)) throw new Error('a webhook communication must be an object');
  for (const key of Object.keys(code)) if (!SUPPORTED.has(key)) throw new Error(`webhook directive "${key}" is not supported by the test evaluator`);
  const scope: Scope = { ...extra, body: delivery.body, headers: delivery.headers, query: delivery.query, method: delivery.method };
  const respond = code.respond === undefined ? undefined : render(code.respond, scope);
  if (code.condition !== undefined && !render(code.condition, scope)) return { bundles: [], respond };
  if (code.iterate === undefined) return { bundles: [code.output === undefined ? delivery.body : render(code.output, scope)], respond };
  const container = render(isRecord(code.iterate) ? code.iterate.container : code.iterate, scope);
  const items = Array.isArray(container) ? container : [];
  return { bundles: items.map((item) => (code.output === undefined ? item : render(code.output, { ...scope, item }))), respond };
}
