import { z } from 'zod';
import { amountSchema, currencySchema, emailSchema, metadataSchema, pageQuerySchema, timestampSchema } from './common';

/** Where a conversion was reported from. */
export const conversionSources = ['api', 'snippet', 'inbound_webhook', 'stripe', 'pipedrive', 'hubspot', 'salesforce'] as const;
export type ConversionSource = (typeof conversionSources)[number];

export const conversionEventSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .meta({ description: 'What happened: purchase, signup, download, subscription …', example: 'purchase' });

/** The money and bookkeeping fields every way of tracking a conversion shares. */
export const conversionDetailsSchema = z.object({
  event: conversionEventSchema,
  amount: amountSchema.optional().meta({ description: 'Minor units (4999 = 49.99); requires currency' }),
  currency: currencySchema.optional(),
  transaction_id: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Your order or invoice id: the dedupe key (per workspace). Without it, one conversion per person and event' }),
  metadata: metadataSchema.optional(),
});

/** Money needs its currency: an amount alone is refused, naming currency. */
export function requireCurrencyWithAmount(v: { amount?: number; currency?: string }, ctx: z.RefinementCtx) {
  if (v.amount !== undefined && v.currency === undefined) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required with amount' });
}

/** POST /v1/conversions: the conversion and exactly one way to find who converted. */
export const createConversionSchema = conversionDetailsSchema
  .extend({
    email: emailSchema.optional().meta({ description: 'Who converted; with several participants of that email, send campaign_id' }),
    code: z.string().trim().min(1).max(64).optional().meta({ description: "The converting participant's own referral code" }),
    click_id: z.string().trim().min(1).max(64).optional().meta({ description: 'The rl_click of the visit the participant signed up through' }),
    participant_id: z.string().min(1).optional(),
    campaign_id: z.string().min(1).optional().meta({ description: 'Narrows an email to one campaign' }),
  })
  .superRefine((v, ctx) => {
    const ways = [v.email, v.code, v.click_id, v.participant_id].filter((w) => w !== undefined).length;
    if (ways === 0) ctx.addIssue({ code: 'custom', path: ['email'], message: 'send email, code, click_id or participant_id' });
    if (ways > 1) ctx.addIssue({ code: 'custom', path: ['email'], message: 'send only one of email, code, click_id and participant_id' });
    requireCurrencyWithAmount(v, ctx);
  });
export type CreateConversionInput = z.infer<typeof createConversionSchema>;

/** The conversion resource. */
export const conversionSchema = z.object({
  id: z.string(),
  object: z.literal('conversion'),
  campaign_id: z.string(),
  participant_id: z.string(),
  event: z.string(),
  amount: z.number().nullable(),
  currency: z.string().nullable(),
  transaction_id: z.string().nullable(),
  source: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: timestampSchema,
});
export type Conversion = z.infer<typeof conversionSchema>;

export const conversionListQuerySchema = pageQuerySchema.extend({
  campaign_id: z.string().optional(),
  participant_id: z.string().optional(),
  event: z.string().trim().optional(),
});
