import { z } from 'zod';
import { eventTypes } from '../events/types';
import { pageQuerySchema, timestampSchema } from '../schemas/common';

const eventNameSchema = z.union([z.enum(eventTypes), z.literal('*')]).meta({ description: 'An event type, or * for all' });

const urlSchema = z
  .string()
  .trim()
  .max(2000)
  .pipe(z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }));

/** POST /v1/webhooks: a REST-hook subscription. */
export const createWebhookSchema = z.object({
  url: urlSchema,
  events: z.array(eventNameSchema).min(1, 'subscribe to at least one event type').max(eventTypes.length + 1),
  campaign_id: z.string().min(1).optional().meta({ description: 'Only events of this campaign' }),
  description: z.string().trim().max(500).optional(),
});
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

/** PATCH /v1/webhooks/{id} */
export const updateWebhookSchema = z
  .object({
    url: urlSchema,
    events: createWebhookSchema.shape.events,
    enabled: z.boolean().meta({ description: 'true re-enables a disabled endpoint and resets its failure count' }),
    description: z.string().trim().max(500).nullable(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

/** The webhook endpoint resource (the secret is only shown when the endpoint is created). */
export const webhookEndpointSchema = z.object({
  id: z.string(),
  object: z.literal('webhook_endpoint'),
  url: z.string(),
  events: z.array(z.string()),
  campaign_id: z.string().nullable(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  disabled_reason: z.string().nullable().meta({ description: 'gone (the receiver answered 410) or too_many_failures' }),
  disabled_at: timestampSchema.nullable(),
  consecutive_failures: z.number(),
  last_success_at: timestampSchema.nullable(),
  last_failure_at: timestampSchema.nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

export const createdWebhookSchema = webhookEndpointSchema.extend({
  secret: z.string().meta({ description: 'Signs every delivery (Referloop-Signature); shown only here' }),
});

export const deliveryStatuses = ['pending', 'succeeded', 'retrying', 'failed', 'cancelled'] as const;

/** One entry of an endpoint's delivery log. */
export const webhookDeliverySchema = z.object({
  id: z.string(),
  object: z.literal('webhook_delivery'),
  endpoint_id: z.string(),
  event_id: z.string(),
  event_type: z.string(),
  status: z.enum(deliveryStatuses),
  attempt: z.number().meta({ description: 'Attempts made so far' }),
  response_status: z.number().nullable(),
  response_body: z.string().nullable().meta({ description: 'The first 2 KB of the last answer' }),
  error: z.string().nullable(),
  duration_ms: z.number().nullable(),
  next_retry_at: timestampSchema.nullable(),
  last_attempt_at: timestampSchema.nullable(),
  retry_of: z.string().nullable().meta({ description: 'The delivery this one repeats (manual redelivery)' }),
  created_at: timestampSchema,
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

export const deliveryListQuerySchema = pageQuerySchema.extend({ status: z.enum(deliveryStatuses).optional() });
