import type http from 'node:http';
import { randomBytes } from 'node:crypto';
import { NodeAdapter } from 'faye';
import { z } from 'zod';
import type { OAuthState } from './oauth';
import { API_VERSION } from './routes';
import type { ChangeEventInput, SalesforceOrg } from './state';

/**
 * The fake org's Streaming API: a CometD (Bayeux) endpoint at `/cometd/62.0`, served by faye's
 * NodeAdapter on the fake's own HTTP server — the same protocol jsforce's faye client speaks to
 * Salesforce. Handshakes and connects need `Authorization: OAuth <token>` (refused as Salesforce
 * does: `403::Handshake denied`, `401::Authentication invalid`, reconnect none). Every record
 * change of an object selected for Change Data Capture becomes an event on
 * `/data/<Object>ChangeEvent` with the next replay id; a subscription with `ext.replay` gets the
 * retained events after that replay id first (-1: none, -2: all). Channels of objects not
 * selected for CDC are refused.
 */

export interface StoredChangeEvent {
  channel: string;
  replayId: number;
  data: { schema: string; payload: Record<string, unknown>; event: { replayId: number } };
}

export interface CometdEndpoint {
  /** every change event published, oldest first */
  events: StoredChangeEvent[];
  /** every subscription request: client, channel and the replay id it asked to resume after */
  subscriptions: Array<{ clientId: string; channel: string; replayFrom: number | null }>;
  /** channels each connected client is subscribed to now */
  active: Map<string, Set<string>>;
  /** clients that said goodbye (/meta/disconnect) */
  disconnected: string[];
  /** publish a stored event again, as Salesforce does to a client resuming from an older replay id */
  redeliver(replayId: number): void;
  close(): void;
}

const replaySchema = z.record(z.string(), z.number().int());

export function mountCometd(server: http.Server, org: SalesforceOrg, auth: OAuthState): CometdEndpoint {
  // A short long-poll (Salesforce holds 110 s) keeps the fake quick to notice a client gone, and its
  // per-client timers (twice the long-poll) from keeping a finished test process alive.
  const adapter = new NodeAdapter({ mount: `/cometd/${API_VERSION}`, timeout: 1 });
  const endpoint: CometdEndpoint = { events: [], subscriptions: [], active: new Map(), disconnected: [], redeliver: (replayId) => {
      const stored = endpoint.events.find((e) => e.replayId === replayId);
      if (!stored) throw new Error(`no change event with replay id ${replayId}`);
      void adapter.getClient().publish(stored.channel, stored.data);
    }, close: () => {
      // The in-process client that publishes keeps a connect loop of its own.
      adapter.getClient().disconnect();
      adapter.close();
    },
  };
  const pendingReplays = new Map<string, number>();
  let nextReplayId = 1000;
  const authorized = (req: http.IncomingMessage | null) => req === null || auth.accessTokens.has((req.headers.authorization ?? '').replace(/^OAuth /, ''));

  adapter.addExtension({
    incoming(message, request, callback) {
      if ((message.channel === '/meta/handshake' || message.channel === '/meta/connect') && !authorized(request)) {
        message.error = message.channel === '/meta/handshake' ? '403::Handshake denied' : '401::Authentication invalid';
        message.ext = { ...(message.ext ?? {}), deniedForAuth: true };
      }
      if (message.channel === '/meta/subscribe' && message.subscription) {
        const channel = message.subscription;
        const entity = /^\/data\/(\w+)ChangeEvent$/.exec(channel)?.[1];
        if (!entity || ![...org.cdcEnabled].some((o) => o === entity)) message.error = '403::Unknown channel';
        const replay = replaySchema.safeParse(message.ext?.replay);
        const from = replay.success ? (replay.data[channel] ?? null) : null;
        endpoint.subscriptions.push({ clientId: message.clientId ?? '', channel, replayFrom: from });
        if (!message.error && from !== null && from !== -1) pendingReplays.set(`${message.clientId ?? ''} ${channel}`, from);
      }
      callback(message);
    },
    outgoing(message, _request, callback) {
      if (message.channel === '/meta/handshake' && message.successful) message.ext = { replay: true, 'payload.format': true };
      if (message.error && (message.error.startsWith('403::Handshake') || message.error.startsWith('401::'))) {
        message.advice = { reconnect: 'none' };
        message.ext = { sfdc: { failureReason: '401::Authentication invalid' }, replay: true };
      }
      callback(message);
    },
  });

  adapter.on('subscribe', (clientId, channel) => {
    endpoint.active.set(clientId, new Set([...(endpoint.active.get(clientId) ?? []), channel]));
    const key = `${clientId} ${channel}`;
    const from = pendingReplays.get(key);
    pendingReplays.delete(key);
    if (from === undefined) return;
    // Retained events after the replay id asked for (-2: all of them).
    for (const e of endpoint.events) if (e.channel === channel && (from === -2 || e.replayId > from)) void adapter.getClient().publish(channel, e.data);
  });
  adapter.on('unsubscribe', (clientId, channel) => endpoint.active.get(clientId)?.delete(channel));
  adapter.on('disconnect', (clientId) => {
    endpoint.active.delete(clientId);
    endpoint.disconnected.push(clientId);
  });

  org.onChange = (change: ChangeEventInput) => {
    const channel = `/data/${change.entityName}ChangeEvent`;
    const replayId = nextReplayId++;
    const data: StoredChangeEvent['data'] = {
      schema: `fake-${change.entityName}-schema`,
      payload: {
        ChangeEventHeader: {
          entityName: change.entityName,
          recordIds: change.recordIds,
          changeType: change.changeType,
          changeOrigin: `com/salesforce/api/rest/${API_VERSION}`,
          transactionKey: randomBytes(8).toString('hex'),
          sequenceNumber: 1,
          commitTimestamp: change.commitTimestamp,
          commitNumber: replayId,
          commitUser: org.userId,
          changedFields: change.changedFields,
          diffFields: [],
          nulledFields: [],
        },
        ...change.values,
      },
      event: { replayId },
    };
    endpoint.events.push({ channel, replayId, data });
    void adapter.getClient().publish(channel, data);
  };

  adapter.attach(server);
  return endpoint;
}
