import { isRecord } from '../iml/evaluate';
import { component, type LoadedApp } from './app';
import { type CommunicationResult, type LogEntry, runCommunication } from './communication';
import { parseParams, prepareParameters } from './parameters';
import { renderWebhook, type WebhookOutcome } from './webhook';

/**
 * Entry points that play Make's part for each kind of component: test a connection, load an RPC's
 * options, run an action/search/universal module, poll a trigger, attach and detach a webhook and turn
 * an incoming delivery into the instant trigger's bundle. Each runs the app's own IML against a live hub.
 */

/** A connection as Make stores it: the values of the connection's parameters. */
export type ConnectionValues = Record<string, unknown>;

function moduleParams(app: LoadedApp, moduleId: string) {
  const m = component(app, 'module', moduleId);
  return [...parseParams(m.codes.staticParams), ...parseParams(m.codes.mappableParams)];
}

/** Test a connection as Make does when the user saves it; returns the connection's metadata. */
export async function verifyConnection(app: LoadedApp, connectionId: string, values: ConnectionValues): Promise<{ metadata: unknown; log: LogEntry[] }> {
  const c = component(app, 'connection', connectionId);
  const parameters = prepareParameters(parseParams(c.codes.params), values);
  const res = await runCommunication(c.codes.communication, { scope: { parameters, common: app.common } });
  return { metadata: res.metadata, log: res.log };
}

/** Load an RPC's items (for a dropdown: `{label, value}` objects). */
export async function callRpc(app: LoadedApp, rpcId: string, connection: ConnectionValues, parameters: Record<string, unknown> = {}): Promise<unknown[]> {
  const r = component(app, 'rpc', rpcId);
  const res = await runCommunication(r.codes.communication, { base: app.base, scope: { parameters, connection, common: app.common } });
  return res.items.map((i) => i.output);
}

/** What one module execution produced. */
export interface ModuleRun {
  bundles: unknown[];
  result: CommunicationResult;
}

/** Run an action, search or universal module with the values a scenario maps into it. */
export async function runModule(app: LoadedApp, moduleId: string, input: Record<string, unknown>, connection: ConnectionValues): Promise<ModuleRun> {
  const m = component(app, 'module', moduleId);
  if (m.meta.moduleType === 'trigger' || m.meta.moduleType === 'instant_trigger') throw new Error(`${moduleId} is a trigger: use pollTrigger or receiveDelivery`);
  const parameters = prepareParameters(moduleParams(app, moduleId), input);
  const result = await runCommunication(m.codes.communication, { base: app.base, scope: { parameters, connection, common: app.common, data: {} } });
  return { bundles: result.items.map((i) => i.output), result };
}

/** What a polling trigger remembers between runs (Make keeps the newest processed item's date and id). */
export interface TriggerState {
  date: string;
  id: string;
}

function itemKey(date: unknown, id: unknown): string {
  return `${String(date)}\u0000${String(id)}`;
}

/**
 * One run of a polling trigger. Items arrive newest first (`order: desc`); paging stops at the first item
 * the state says was processed; the new items come out oldest first, at most `limit` of them, and the
 * state moves to the newest item returned. (Make's own bookkeeping is richer; this is its observable effect.)
 */
export async function pollTrigger(
  app: LoadedApp,
  moduleId: string,
  input: Record<string, unknown>,
  connection: ConnectionValues,
  state: TriggerState | null,
): Promise<{ bundles: unknown[]; state: TriggerState | null }> {
  const m = component(app, 'module', moduleId);
  if (m.meta.moduleType !== 'trigger') throw new Error(`${moduleId} is not a polling trigger`);
  const parameters = prepareParameters(moduleParams(app, moduleId), input);
  const seen = state ? itemKey(state.date, state.id) : null;
  const code = isRecord(m.codes.communication) ? m.codes.communication : {};
  // The limit applies to new items, after the already-seen ones are cut off, so page without it.
  const { limit, ...responseWithoutLimit } = isRecord(code.response) ? code.response : {};
  const result = await runCommunication(
    { ...code, response: responseWithoutLimit },
    { base: app.base, scope: { parameters, connection, common: app.common, data: {} }, stopAt: (i) => seen !== null && itemKey(i.triggerDate, i.triggerId) <= seen },
  );
  const max = limit === undefined ? Infinity : Number(parameters.limit ?? Infinity);
  const fresh = [...result.items].sort((a, b) => (itemKey(a.triggerDate, a.triggerId) < itemKey(b.triggerDate, b.triggerId) ? -1 : 1)).slice(0, max);
  const last = fresh[fresh.length - 1];
  return { bundles: fresh.map((i) => i.output), state: last ? { date: String(last.triggerDate), id: String(last.triggerId) } : state };
}

/** Attach a webhook as Make does when the user creates it in an instant trigger; returns the saved webhook data. */
export async function attachWebhook(
  app: LoadedApp,
  webhookId: string,
  input: Record<string, unknown>,
  connection: ConnectionValues,
  webhookUrl: string,
): Promise<Record<string, unknown>> {
  const w = component(app, 'webhook', webhookId);
  const parameters = prepareParameters(parseParams(w.codes.params), input);
  const res = await runCommunication(w.codes.attach, { base: app.base, scope: { parameters, connection, common: app.common, webhook: { url: webhookUrl } } });
  if (!isRecord(res.data)) throw new Error('attach did not save any webhook data (response.data)');
  return { ...res.data, url: webhookUrl };
}

/** Detach a webhook with the data its attach saved. */
export async function detachWebhook(app: LoadedApp, webhookId: string, webhookData: Record<string, unknown>, connection: ConnectionValues): Promise<CommunicationResult> {
  const w = component(app, 'webhook', webhookId);
  return runCommunication(w.codes.detach, { base: app.base, scope: { connection, common: app.common, webhook: webhookData } });
}

/** An HTTP request as it reached the webhook's URL. */
export interface Delivery {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** Process an incoming delivery through the webhook's communication: the bundles and Make's reply. */
export function receiveDelivery(app: LoadedApp, webhookId: string, delivery: Delivery, webhookData: Record<string, unknown>): WebhookOutcome {
  return renderWebhook(component(app, 'webhook', webhookId).codes.communication, delivery, { webhook: webhookData, common: app.common });
}
