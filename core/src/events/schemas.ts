import { z } from 'zod';
import { timestampSchema } from '../schemas/common';
import { conversionSchema } from '../schemas/conversion';
import { participantSchema, referrerSummarySchema } from '../schemas/participant';
import { rewardSchema } from '../schemas/reward';
import { webhookEndpointSchema } from '../webhooks/schemas';
import { eventTypes, type EventType } from './types';

/** Referral events: the referred participant as the API returns it, plus who referred them. */
export const referralEventDataSchema = participantSchema.extend({ referrer: referrerSummarySchema.nullable() });

/** Reward events: the reward, plus the referrer behind the referral that earned it. */
export const rewardEventDataSchema = rewardSchema.extend({ referrer: referrerSummarySchema.nullable() });

/** conversion.tracked: the conversion, plus the referrer of the participant who converted. */
export const conversionEventDataSchema = conversionSchema.extend({ referrer: referrerSummarySchema.nullable() });

/** The `data` of each event type. */
export const eventDataSchemas = {
  'participant.created': participantSchema,
  'referral.created': referralEventDataSchema,
  'referral.qualified': referralEventDataSchema,
  'referral.unqualified': referralEventDataSchema,
  'referral.flagged': referralEventDataSchema,
  'conversion.tracked': conversionEventDataSchema,
  'reward.created': rewardEventDataSchema,
  'reward.approved': rewardEventDataSchema,
  'reward.declined': rewardEventDataSchema,
  'reward.issued': rewardEventDataSchema,
  'webhook_endpoint.disabled': webhookEndpointSchema,
} satisfies Record<EventType, z.ZodType>;

/** The envelope of one event type: what a webhook receives and the feed lists. */
export function eventEnvelopeSchema<T extends EventType>(type: T) {
  return z.object({
    id: z.string(),
    type: z.literal(type),
    created_at: timestampSchema,
    workspace_id: z.string(),
    campaign_id: z.string().nullable(),
    data: eventDataSchemas[type],
  });
}

/** Any event envelope (documentation of GET /v1/events; `data` depends on `type`). */
export const anyEventEnvelopeSchema = z.object({
  id: z.string(),
  type: z.enum(eventTypes),
  created_at: timestampSchema,
  workspace_id: z.string(),
  campaign_id: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).meta({ description: 'The resource the event is about; see the event type' }),
});
