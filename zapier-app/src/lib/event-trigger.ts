import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Bundle, PlainOutputField, Trigger, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { eventOutputFields } from './fields';
import { callHub, sendToHub } from './hub';
import { optionalText, parseInput } from './input';
import { eventEnvelopeSchema, pageOf, webhookEndpointSchema, type EventEnvelope } from './resources';
import { toUserError } from './problem';

/** The hub's event types that have a trigger. */
export type HubEventType =
  | 'participant.created'
  | 'referral.created'
  | 'referral.qualified'
  | 'referral.unqualified'
  | 'conversion.tracked'
  | 'reward.created'
  | 'reward.issued';

/** What one instant trigger is about; everything else is the same for every event type. */
export interface EventTriggerSpec<K extends string> {
  key: K;
  noun: string;
  label: string;
  description: string;
  eventType: HubEventType;
  /** The hub's sample envelope of this event type. */
  sample: Record<string, unknown>;
  /** Labels for the event's `data` (keys prefixed `data__`). */
  dataOutputFields: PlainOutputField[];
}

const filterSchema = zod.object({ campaign_id: optionalText() });
const filterLabels = { campaign_id: 'Campaign' };

/** Zapier keeps what performSubscribe returned: the hub webhook's id and its signing secret. */
const subscriptionSchema = zod.looseObject({ id: zod.string(), secret: zod.string().optional() });

/** Zapier may hand request headers over as sent or prefixed `Http-`; match either, any case. */
function readHeader(headers: Record<string, string> | undefined, name: string): string | undefined {
  const wanted = [name.toLowerCase(), `http-${name.toLowerCase()}`];
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (wanted.includes(key.toLowerCase())) return value;
  }
  return undefined;
}

/** `Referloop-Signature: t=<unix>,v1=<hex>`: HMAC-SHA256 of "t.body" with the webhook's secret. */
function signatureMatches(header: string, body: string, secret: string): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const given = parts.filter(([k]) => k === 'v1').map(([, v]) => v ?? '');
  if (!t || given.length === 0) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'));
  return given.some((v) => {
    const candidate = Buffer.from(v);
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
}

/**
 * Refuse a delivery whose signature does not match. When Zapier hands over neither the raw body
 * nor the subscription's secret, the per-Zap target URL (a secret itself) is what protects it.
 * No timestamp window here, unlike the hub's own verifier: Zapier may run perform well after the
 * delivery arrived, and dropping a late but genuine event would lose it for good.
 */
function checkSignature(z: ZObject, bundle: Bundle): void {
  const subscription = subscriptionSchema.safeParse(bundle.subscribeData);
  const body = bundle.rawRequest?.content;
  if (!subscription.success || !subscription.data.secret || typeof body !== 'string') return;
  const header = readHeader(bundle.rawRequest?.headers, 'Referloop-Signature');
  if (!header || !signatureMatches(header, body, subscription.data.secret)) {
    throw new z.errors.HaltedError('Ignored a delivery whose Referloop-Signature does not match this Zap’s webhook secret.');
  }
}

/**
 * An instant (REST hook) trigger on one hub event type: subscribing creates a hub webhook for
 * Zapier's target URL, unsubscribing deletes it, and `performList` reads the same envelopes from
 * GET /v1/events for samples and as the polling fallback.
 */
export function defineEventTrigger<K extends string>(spec: EventTriggerSpec<K>) {
  const performSubscribe = async (z: ZObject, bundle: Bundle) => {
    const { campaign_id } = parseInput(z, filterSchema, bundle.inputData, filterLabels);
    if (!bundle.targetUrl) throw new z.errors.Error('Zapier did not provide a target URL to subscribe.', 'MissingTargetUrl', 400);
    return callHub(z, bundle, webhookEndpointSchema, {
      method: 'POST',
      path: '/v1/webhooks',
      body: { url: bundle.targetUrl, events: [spec.eventType], campaign_id, description: `Zapier: ${spec.label}` },
    });
  };

  const performUnsubscribe = async (z: ZObject, bundle: Bundle) => {
    const subscription = subscriptionSchema.safeParse(bundle.subscribeData);
    if (!subscription.success) {
      throw new z.errors.Error('This Zap has no Referloop webhook on record to remove.', 'MissingSubscription', 400);
    }
    const { id } = subscription.data;
    const response = await sendToHub(z, bundle, { method: 'DELETE', path: `/v1/webhooks/${encodeURIComponent(id)}` }, true);
    // Already gone (deleted in Referloop): turning the Zap off must still succeed.
    if (response.status === 404) return { id, deleted: false };
    if (response.status >= 400) throw toUserError(z, response);
    return { id, deleted: true };
  };

  const perform = async (z: ZObject, bundle: Bundle): Promise<EventEnvelope[]> => {
    const event = eventEnvelopeSchema.safeParse(bundle.cleanedRequest);
    if (!event.success) {
      throw new z.errors.Error('The request Zapier received is not a Referloop event delivery.', 'InvalidDelivery', 400);
    }
    checkSignature(z, bundle);
    // A webhook only gets the type it subscribed to; anything else is not this trigger's business.
    return event.data.type === spec.eventType ? [event.data] : [];
  };

  const performList = async (z: ZObject, bundle: Bundle): Promise<EventEnvelope[]> => {
    const { campaign_id } = parseInput(z, filterSchema, bundle.inputData, filterLabels);
    const page = await callHub(z, bundle, pageOf(eventEnvelopeSchema), {
      path: '/v1/events',
      params: { type: spec.eventType, campaign_id, limit: bundle.meta?.isPopulatingDedupe ? 100 : 25 },
    });
    return page.data;
  };

  return {
    key: spec.key,
    noun: spec.noun,
    display: { label: spec.label, description: spec.description },
    operation: {
      type: 'hook',
      inputFields: [
        {
          key: 'campaign_id',
          label: 'Campaign',
          dynamic: 'campaign_list.id.name',
          helpText: 'Only trigger for this campaign. Leave empty to trigger for every campaign of the workspace.',
        },
      ],
      performSubscribe,
      performUnsubscribe,
      perform,
      performList,
      sample: spec.sample,
      outputFields: [...eventOutputFields, ...spec.dataOutputFields],
    },
  } satisfies Trigger;
}
