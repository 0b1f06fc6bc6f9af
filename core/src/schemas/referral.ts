import { z } from 'zod';
import { emailSchema } from './common';
import { participantSchema } from './participant';
import { rewardSchema } from './reward';

export const qualificationSources = [
  'api',
  'code',
  'conversion',
  'inbound_webhook',
  'pipedrive',
  'hubspot',
  'salesforce',
  'stripe',
  'csv',
  'manual',
  'review',
  'system',
] as const;
export type QualificationSource = (typeof qualificationSources)[number];

/**
 * Which referral: by `code`, by `participant_id`, or by `email` + `campaign_id`
 * ("Qualify with code" sends the code the CRM kept).
 */
export const referralSelectorSchema = z
  .object({
    code: z.string().trim().min(1).max(64).optional(),
    participant_id: z.string().min(1).optional(),
    email: emailSchema.optional(),
    campaign_id: z.string().min(1).optional(),
  })
  .superRefine((s, ctx) => {
    const ways = [s.code, s.participant_id, s.email].filter((v) => v !== undefined).length;
    if (ways === 0) ctx.addIssue({ code: 'custom', path: ['code'], message: 'send code, participant_id, or email with campaign_id' });
    if (ways > 1) ctx.addIssue({ code: 'custom', path: ['code'], message: 'send only one of code, participant_id and email' });
    if (s.email !== undefined && s.campaign_id === undefined) {
      ctx.addIssue({ code: 'custom', path: ['campaign_id'], message: 'is required when selecting by email' });
    }
  });
export type ReferralSelector = z.infer<typeof referralSelectorSchema>;

const qualifyFields = z.object({
  reason: z.string().trim().max(500).optional(),
  source: z.enum(qualificationSources).optional().meta({ description: 'Where the business outcome was seen; api by default' }),
  idempotency_key: z.string().trim().min(1).max(200).optional(),
});

/** POST /v1/referrals/qualify and /unqualify */
export const qualifyRequestSchema = z.intersection(referralSelectorSchema, qualifyFields);
export type QualifyRequest = z.infer<typeof qualifyRequestSchema>;

/** POST /v1/referrals/{id}/review */
export const reviewRequestSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  reason: z.string().trim().max(500).optional(),
});

/** What a qualification call answers: whether it changed anything, the referral, and its rewards. */
export const qualifyResultSchema = z.object({
  changed: z.boolean().meta({ description: 'false when the referral already had this status (nothing was written)' }),
  referral: participantSchema,
  rewards: z.array(rewardSchema).meta({ description: 'Rewards created (qualify) or voided (unqualify) by this call' }),
});
export type QualifyResult = z.infer<typeof qualifyResultSchema>;
