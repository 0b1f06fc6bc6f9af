import { z as zod } from 'zod';

/*
 * The hub's answers, parsed at the edge. Only what the app relies on is typed; every other field
 * passes through untouched (loose objects) so Zap users see the whole resource.
 */

/** GET /v1/me */
export const workspaceSchema = zod.looseObject({ id: zod.string(), object: zod.literal('workspace'), name: zod.string() });

export const campaignSchema = zod.looseObject({ id: zod.string(), object: zod.literal('campaign'), name: zod.string(), status: zod.string() });

export const participantSchema = zod.looseObject({
  id: zod.string(),
  object: zod.literal('participant'),
  campaign_id: zod.string(),
  email: zod.string(),
  code: zod.string(),
  type: zod.string(),
  referral_status: zod.string().nullable(),
});
export type Participant = zod.infer<typeof participantSchema>;

export const rewardSchema = zod.looseObject({
  id: zod.string(),
  object: zod.literal('reward'),
  status: zod.string(),
  kind: zod.string(),
  amount: zod.number().nullable(),
  currency: zod.string().nullable(),
  percent_off: zod.number().nullable(),
  description: zod.string().nullable(),
});
export type Reward = zod.infer<typeof rewardSchema>;

export const conversionSchema = zod.looseObject({ id: zod.string(), object: zod.literal('conversion'), event: zod.string() });

/** POST /v1/referrals/qualify|unqualify */
export const qualifyResultSchema = zod.object({ changed: zod.boolean(), referral: participantSchema, rewards: zod.array(rewardSchema) });

/** An outbound event: what webhooks deliver and GET /v1/events lists. */
export const eventEnvelopeSchema = zod.looseObject({
  id: zod.string(),
  type: zod.string(),
  created_at: zod.string(),
  workspace_id: zod.string(),
  campaign_id: zod.string().nullable(),
  data: zod.record(zod.string(), zod.unknown()),
});
export type EventEnvelope = zod.infer<typeof eventEnvelopeSchema>;

/** POST /v1/webhooks: the subscription Zapier keeps as `subscribeData`. */
export const webhookEndpointSchema = zod.looseObject({
  id: zod.string(),
  object: zod.literal('webhook_endpoint'),
  url: zod.string(),
  events: zod.array(zod.string()),
  secret: zod.string().optional(),
});

/** A cursor-paginated list. */
export function pageOf<T extends zod.ZodType>(item: T) {
  return zod.object({ data: zod.array(item), next_cursor: zod.string().nullable() });
}
