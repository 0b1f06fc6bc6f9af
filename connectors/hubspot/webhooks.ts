import { z } from 'zod';
import type { InboundDelivery, RegisterResult, Signal, WebhookVerdict } from '../contract';
import type { HubSpotContext } from './client';
import { RULE_PROPERTIES, signalsFor, type Change } from './qualify';
import { checkSignature, checkWorkflowSecret, WORKFLOW_HEADER } from './signatures';
import { hubspotTime, stageSignals } from './stage-signals';
import { contactCreatedEventId } from './sync';

/**
 * Inbound HubSpot deliveries → signals, two ways in:
 * - app webhook subscriptions (`contact.propertyChange`, `deal.propertyChange`, `contact.creation`):
 *   a JSON array of up to 100 events, signed (v3, or v1/v2 for older apps) with the app's client
 *   secret; each event is identified by portal, subscription type, object, event id and time
 *   (HubSpot's eventId alone is not unique), and carries its portal id so the hub routes it to the
 *   workspace connected to that portal;
 * - a workflow's "Send a webhook" action: the record's properties in the body, our per-integration
 *   secret in `X-Referloop-Workflow-Secret`; its identity is the state it reports (contact, property,
 *   value), so a workflow re-enrolling the same record changes nothing twice.
 * Subscriptions belong to the app, not to an installation, so nothing is registered through the
 * API: the user is told what to subscribe to and where. Next to the rule signals, a deal stage or
 * lifecycle stage change is a `stage` signal (stage-signals.ts).
 */
// https://developers.hubspot.com/docs/api/webhooks · https://developers.hubspot.com/docs/api/workflows/webhooks

const idLike = z.union([z.string().min(1).max(100), z.number().int()]).transform(String);

const eventSchema = z
  .object({
    eventId: idLike,
    subscriptionId: idLike.optional(),
    portalId: idLike,
    appId: idLike.optional(),
    occurredAt: z.number().int().positive(),
    subscriptionType: z.string().min(1).max(100).optional(),
    eventType: z.string().min(1).max(100).optional(),
    attemptNumber: z.number().int().optional(),
    objectId: idLike,
    propertyName: z.string().max(200).optional(),
    propertyValue: z.union([z.string(), z.number(), z.boolean()]).nullable().optional(),
    changeSource: z.string().optional(),
  })
  .refine((e) => e.subscriptionType !== undefined || e.eventType !== undefined, 'an event names its subscriptionType or eventType');
const eventsSchema = z.array(eventSchema).min(1).max(1000);

type HubSpotEvent = z.infer<typeof eventSchema>;

const scalar = z.union([z.string(), z.number(), z.boolean()]).nullable();
/** Workflow bodies: the legacy record shape (`properties.x.value`) or flat properties. */
const workflowSchema = z
  .object({
    vid: idLike.optional(),
    objectId: idLike.optional(),
    dealId: idLike.optional(),
    properties: z.record(z.string(), z.union([scalar, z.object({ value: scalar }).passthrough()])).optional(),
    associations: z.object({ associatedVids: z.array(idLike).optional() }).passthrough().nullable().optional(),
  })
  .passthrough();

function flatProperties(body: z.infer<typeof workflowSchema>): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, raw: unknown) => {
    const v = scalar.safeParse(raw && typeof raw === 'object' && 'value' in raw ? raw.value : raw);
    if (v.success && v.data !== null && String(v.data).trim() !== '') out[key] = String(v.data).trim();
  };
  for (const [key, raw] of Object.entries(body)) if (key !== 'properties' && key !== 'associations') put(key, raw);
  for (const [key, raw] of Object.entries(body.properties ?? {})) put(key, raw);
  return out;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** One subscription event → its signals. */
function eventSignals(ctx: HubSpotContext, e: HubSpotEvent): Signal[] {
  const type = (e.subscriptionType ?? e.eventType ?? '').toLowerCase();
  const eventId = `${e.portalId}:${type}:${e.objectId}:${e.eventId}:${e.occurredAt}`;
  const common = { eventId, occurredAt: iso(e.occurredAt), accountId: e.portalId };
  if (type === 'contact.creation') {
    // The event names only the contact: its email is read when the signal is applied (resolveSignal).
    // Its id is the creation's own, so a contact a poll also finds new is imported once.
    return [{ kind: 'contact_created', event_id: contactCreatedEventId(e.objectId), occurred_at: common.occurredAt, account_id: e.portalId, contact: { id: e.objectId, object: 'contact', email: null } }];
  }
  const value = e.propertyValue === null || e.propertyValue === undefined ? '' : String(e.propertyValue);
  let change: Change | null = null;
  if (type === 'contact.propertychange' && e.propertyName) change = { object: 'contact', id: e.objectId, property: e.propertyName, value, ...common };
  if (type === 'deal.propertychange' && e.propertyName === RULE_PROPERTIES.dealStage) change = { object: 'deal', id: e.objectId, stage: value, ...common };
  return change ? [...signalsFor(ctx.settings, change), ...stageSignals(change)] : [];
}

/** A workflow's stage identity: the state it reports, at the record's last-modified time when the body carries it. */
function stateIdentity(eventId: string, modified: string | undefined): { eventId: string; occurredAt?: string } {
  const at = hubspotTime(modified);
  return at ? { eventId: `${eventId}:${at}`, occurredAt: at } : { eventId };
}

/** A workflow delivery → its signals (contact- or deal-based workflows). */
function workflowSignals(ctx: HubSpotContext, body: z.infer<typeof workflowSchema>): Signal[] | null {
  const props = flatProperties(body);
  const dealId = body.dealId ?? (props.dealstage ? (props.hs_object_id ?? body.objectId) : undefined);
  if (dealId !== undefined && props.dealstage) {
    const contactIds = body.associations?.associatedVids;
    const change: Change = { object: 'deal', id: dealId, stage: props.dealstage, pipeline: props.pipeline ?? null, eventId: `workflow:deal:${dealId}:dealstage:${props.dealstage}`, ...(contactIds ? { contactIds } : {}) };
    return [...signalsFor(ctx.settings, change), ...stageSignals(change, stateIdentity(change.eventId, props.hs_lastmodifieddate))];
  }
  const contactId = body.vid ?? body.objectId ?? props.hs_object_id;
  if (contactId === undefined) return null;
  const signals: Signal[] = [];
  for (const property of [RULE_PROPERTIES.lifecycle, RULE_PROPERTIES.leadStatus]) {
    const value = props[property];
    if (value === undefined) continue;
    const change: Change = { object: 'contact', id: contactId, property, value, email: props.email ?? null, referralCode: props.referral_code ?? null, eventId: `workflow:contact:${contactId}:${property}:${value}` };
    signals.push(...signalsFor(ctx.settings, change), ...stageSignals(change, stateIdentity(change.eventId, props.lastmodifieddate)));
  }
  return signals;
}

function readJson(delivery: InboundDelivery): unknown {
  try {
    return JSON.parse(delivery.rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The client secret deliveries are signed with: the OAuth app's, or the private app's when given. */
function clientSecret(ctx: HubSpotContext): string | undefined {
  return 'client_secret' in ctx.credentials ? ctx.credentials.client_secret : undefined;
}

export async function parseWebhook(ctx: HubSpotContext, delivery: InboundDelivery): Promise<WebhookVerdict> {
  if (delivery.headers[WORKFLOW_HEADER] !== undefined) {
    const check = checkWorkflowSecret(delivery, ctx.credentials.workflow_secret);
    if (!check.ok) return { verified: false, reason: check.reason, status: 401 };
    const body = workflowSchema.safeParse(readJson(delivery));
    const signals = body.success ? workflowSignals(ctx, body.data) : null;
    if (signals === null) return { verified: false, reason: 'not a HubSpot workflow record (no contact or deal id)', status: 400 };
    return { verified: true, signals };
  }
  const secret = clientSecret(ctx);
  if (!secret) return { verified: false, reason: 'no client_secret in the credentials to check HubSpot signatures with', status: 401 };
  const check = checkSignature(delivery, secret, ctx.now());
  if (!check.ok) return { verified: false, reason: check.reason, status: 401 };
  const events = eventsSchema.safeParse(readJson(delivery));
  if (!events.success) return { verified: false, reason: 'not a HubSpot webhook payload (an array of events)', status: 400 };
  return { verified: true, signals: events.data.flatMap((e) => eventSignals(ctx, e)) };
}

/** Nothing to register through the API: subscriptions belong to the app. What to set up, and where. */
export async function registerWebhooks(ctx: HubSpotContext, input: { url: string }): Promise<RegisterResult> {
  const events = ['contact.propertyChange (lifecyclestage)', 'contact.propertyChange (hs_lead_status)', 'deal.propertyChange (dealstage)', 'contact.creation'];
  const instructions = [
    `Public app: in the app's Webhooks settings set the target URL to ${input.url} and subscribe to ${events.join(', ')}; deliveries are checked with the app's client secret and routed by portal id, so one URL serves every installation.`,
    `Private app or workflows: add a "Send a webhook" action (POST ${input.url}, authentication "API key" in the header ${WORKFLOW_HEADER} with the credentials' workflow_secret) to a workflow enrolling contacts or deals when they reach the stage.`,
    ctx.settings.polling.enabled ? `Polling is on: contacts and deals changed are also searched every ${ctx.settings.polling.interval_seconds} s.` : 'Or turn polling on (settings.polling.enabled) to search for changes instead.',
  ].join(' ');
  return { webhooks: [], manual: { events, instructions } };
}

/** Nothing was registered; disconnecting stops routing and polling on our side. */
export async function unregisterWebhooks(): Promise<void> {}
