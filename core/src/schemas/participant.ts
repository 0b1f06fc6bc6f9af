import { z } from 'zod';
import { emailSchema, metadataSchema, pageQuerySchema, timestampSchema } from './common';
import { crmEntryResponseSchema } from './crm-entry';

export const participantTypes = ['direct', 'referred', 'imported'] as const;
export const referralStatuses = ['pending', 'qualified', 'unqualified', 'flagged'] as const;
/** The orders `GET /v1/participants?sort=` pages through; `-` means descending. */
export const participantSorts = ['-created_at', 'created_at', 'name', '-name', 'referral_status'] as const;
export type ParticipantSort = (typeof participantSorts)[number];

const nameSchema = z.string().trim().max(100);

/** POST /v1/participants */
export const createParticipantSchema = z.object({
  campaign_id: z.string().min(1),
  email: emailSchema,
  first_name: nameSchema.optional(),
  last_name: nameSchema.optional(),
  external_id: z.string().trim().max(200).optional().meta({ description: 'Your id for this person (CRM or app user id)' }),
  referrer_code: z.string().trim().min(1).max(64).optional().meta({ description: 'Makes this a referred participant of the code owner' }),
  click_id: z.string().trim().min(1).max(64).optional().meta({ description: 'The rl_click value from the landing URL or cookie' }),
  code: z
    .string()
    .regex(/^[A-Za-z0-9-]{3,32}$/, '3 to 32 letters, digits or dashes')
    .optional()
    .meta({ description: 'A vanity code; assigned when omitted' }),
  type: z.enum(['direct', 'imported']).optional().meta({ description: 'Without a referrer: direct (default) or imported' }),
  ip_address: z.union([z.ipv4(), z.ipv6()]).optional().meta({ description: "The sign-up's IP, for the same-IP fraud check" }),
  metadata: metadataSchema.optional(),
});
export type CreateParticipantInput = z.infer<typeof createParticipantSchema>;

/** PATCH /v1/participants/{id} */
export const updateParticipantSchema = z
  .object({
    email: emailSchema,
    first_name: nameSchema.nullable(),
    last_name: nameSchema.nullable(),
    external_id: z.string().trim().max(200).nullable(),
    metadata: metadataSchema,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');
export type UpdateParticipantInput = z.infer<typeof updateParticipantSchema>;

export const participantListQuerySchema = pageQuerySchema.extend({
  campaign_id: z.string().optional(),
  email: z.string().trim().optional(),
  code: z.string().trim().optional(),
  type: z.enum(participantTypes).optional(),
  referral_status: z.enum(referralStatuses).optional(),
  referrer_id: z.string().optional(),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "Case-insensitive substring of the email, name or code, or of the referrer's code or email (% and _ match themselves)" }),
  sort: z
    .enum(participantSorts)
    .default('-created_at')
    .meta({
      description:
        'Order of the list: newest first (-created_at, default), oldest first, name A→Z or Z→A (the email when there is no name), ' +
        'or referral_status (flagged, pending, qualified, unqualified, then participants without a referral; newest first within each). ' +
        'A cursor pages only the sort it was made with.',
    }),
});

/** Who referred whom, in short: carried by referral and reward events. */
export const referrerSummarySchema = z.object({
  id: z.string(),
  code: z.string(),
  referral_link: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  people_referred: z.number(),
  qualified_count: z.number(),
});
export type ReferrerSummary = z.infer<typeof referrerSummarySchema>;

/** The participant resource (a referred participant is "a referral"). */
export const participantSchema = z.object({
  id: z.string(),
  object: z.literal('participant'),
  campaign_id: z.string(),
  type: z.enum(participantTypes),
  email: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  name: z.string().nullable(),
  external_id: z.string().nullable(),
  code: z.string(),
  referral_link: z.string(),
  qr_url: z.string(),
  share_url: z.string(),
  referrer_id: z.string().nullable(),
  referrer_code: z.string().nullable(),
  referral_status: z.enum(referralStatuses).nullable(),
  flag_reasons: z.array(z.string()).nullable(),
  channel: z.string().nullable(),
  click_id: z.string().nullable(),
  people_referred: z.number(),
  qualified_count: z.number(),
  crm: z.record(z.string(), crmEntryResponseSchema).meta({ description: 'Per connected vendor (pipedrive, hubspot, salesforce, stripe): its records for the participant and their stage' }),
  metadata: z.record(z.string(), z.unknown()),
  qualified_at: timestampSchema.nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
  test_mode: z.boolean(),
});
export type Participant = z.infer<typeof participantSchema>;

/** One entry of a participant's timeline. */
export const timelineEntrySchema = z.object({
  id: z.string(),
  kind: z.string().meta({ description: 'click, signup, qualification, conversion, reward, crm, share …' }),
  source: z.string(),
  at: timestampSchema,
  data: z.record(z.string(), z.unknown()),
});
