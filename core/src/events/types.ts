/** Every event type the hub emits: webhooks, the polling feed and the apps' triggers use these names. */
export const eventTypes = [
  'participant.created',
  'referral.created',
  'referral.qualified',
  'referral.unqualified',
  'referral.flagged',
  'conversion.tracked',
  'reward.created',
  'reward.approved',
  'reward.declined',
  'reward.issued',
  'webhook_endpoint.disabled',
] as const;

export type EventType = (typeof eventTypes)[number];

/** The envelope of an event, as delivered to webhooks and listed by GET /v1/events. */
export interface EventEnvelope {
  id: string;
  type: EventType;
  created_at: string;
  workspace_id: string;
  campaign_id: string | null;
  data: Record<string, unknown>;
}
