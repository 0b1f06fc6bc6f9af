import { z } from 'zod';
import { emailSchema, metadataSchema } from '../schemas/common';
import { conversionDetailsSchema, requireCurrencyWithAmount } from '../schemas/conversion';

/** What the snippet keeps from a landing through a referral link (`?ref=CODE&rl_click=clk_…`). */
const landingFields = {
  ref: z.string().trim().min(1).max(64).optional(),
  rl_click: z.string().trim().min(1).max(64).optional(),
  /** The key may ride in the body too (it normally rides in `?key=`). */
  key: z.string().optional(),
};

/** POST /t/v1/identify: the visitor told the site who they are. */
export const identifyPayloadSchema = z.object({
  email: emailSchema,
  first_name: z.string().trim().max(100).optional(),
  last_name: z.string().trim().max(100).optional(),
  external_id: z.string().trim().max(200).optional(),
  metadata: metadataSchema.optional(),
  ...landingFields,
});
export type IdentifyPayload = z.infer<typeof identifyPayloadSchema>;

/** POST /t/v1/track: a conversion seen in the browser. Amounts are minor units, as in the API. */
export const trackPayloadSchema = conversionDetailsSchema
  .extend({
    email: emailSchema.optional(),
    campaign_id: z.string().min(1).optional(),
    ...landingFields,
  })
  .superRefine((v, ctx) => {
    if (v.email === undefined && v.rl_click === undefined) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required (or a landing through a referral link)' });
    }
    requireCurrencyWithAmount(v, ctx);
  });
export type TrackPayload = z.infer<typeof trackPayloadSchema>;

/** The query of both tracking routes: the snippet sends its publishable key as `?key=`. */
export const trackingQuerySchema = z.object({
  key: z.string().min(1).optional().meta({ description: 'Publishable key rl_pk_… (or send it as the body’s key, or as Authorization: Bearer)' }),
});

/** The answer to identify. */
export const identifyAnswerSchema = z.object({
  attributed: z.boolean().meta({ description: 'The visitor is now the referred participant of the link they landed through' }),
  created: z.boolean().meta({ description: 'A participant was created (false when the email was already in the campaign, or without a landing)' }),
});
export type IdentifyAnswer = z.infer<typeof identifyAnswerSchema>;

/** The answer to track: 201 for a new conversion, 200 for a duplicate of one already recorded. */
export const trackAnswerSchema = z.object({
  conversion_id: z.string(),
  duplicate: z.boolean().meta({ description: 'Same transaction_id (or email + event) as a conversion already recorded: nothing new was written' }),
  referral_qualified: z.boolean().meta({ description: 'This conversion qualified the visitor’s referral' }),
});
export type TrackAnswer = z.infer<typeof trackAnswerSchema>;
