import { z } from 'zod';
import { pageQuerySchema, timestampSchema } from './common';

export const rewardStatuses = ['pending', 'approved', 'delayed', 'declined', 'issued'] as const;
export type RewardStatus = (typeof rewardStatuses)[number];

/** The reward resource. */
export const rewardSchema = z.object({
  id: z.string(),
  object: z.literal('reward'),
  campaign_id: z.string(),
  participant_id: z.string().meta({ description: 'Who receives the reward' }),
  referral_id: z.string().meta({ description: 'The referred participant whose qualification earned it' }),
  rule_id: z.string(),
  recipient: z.enum(['referrer', 'friend']),
  kind: z.enum(['credit', 'coupon', 'cash', 'custom']),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  percent_off: z.number().nullable(),
  description: z.string().nullable(),
  status: z.enum(rewardStatuses),
  approval: z.enum(['auto', 'manual']),
  release_at: timestampSchema.nullable(),
  reason: z.string().nullable(),
  issued_at: timestampSchema.nullable(),
  external_id: z.string().nullable(),
  reward_code: z.string().nullable(),
  last_error: z.string().nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
});
export type Reward = z.infer<typeof rewardSchema>;

export const rewardListQuerySchema = pageQuerySchema.extend({
  status: z.enum(rewardStatuses).optional(),
  campaign_id: z.string().optional(),
  participant_id: z.string().optional(),
  referral_id: z.string().optional(),
});

export const rewardDecisionSchema = z.object({ reason: z.string().trim().max(500).optional() });
export const rewardIssueSchema = z.object({
  reason: z.string().trim().max(500).optional(),
  external_id: z.string().trim().max(200).optional().meta({ description: 'Id of the payout/credit in your system' }),
  reward_code: z.string().trim().max(200).optional().meta({ description: 'Coupon or gift code handed out' }),
});
export const rewardDelaySchema = z
  .object({
    until: z.iso.datetime({ offset: true }).optional(),
    days: z.number().int().min(1).max(365).optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .refine((v) => (v.until === undefined) !== (v.days === undefined), { message: 'send either until or days', path: ['until'] });
