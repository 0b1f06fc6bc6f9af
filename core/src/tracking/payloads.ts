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
