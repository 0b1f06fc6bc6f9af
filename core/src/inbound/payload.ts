import { z } from 'zod';
import { amountSchema, currencySchema, emailSchema } from '../schemas/common';
import { conversionEventSchema, requireCurrencyWithAmount } from '../schemas/conversion';
import { referralStatuses } from '../schemas/participant';
import { ApiError } from '../lib/errors';

// Form posts carry every value as text: accept the spellings no-code tools send.
const flag = z.union([
  z.boolean(),
  z
    .string()
    .trim()
    .toLowerCase()
    .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
    .transform((v) => v === 'true' || v === '1' || v === 'yes'),
]);
const minorUnits = z.union([amountSchema, z.string().trim().regex(/^\d{1,13}$/, 'must be a whole number of minor units (4999 = 49.99)').transform(Number)]);
const blankIsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** The path of the inbound webhook: the campaign's secret token (rotating it retires the old URL). */
export const inboundParamsSchema = z.object({
  token: z.string().regex(/^[0-9a-z]{8,64}$/).meta({ description: 'The campaign’s inbound token, from its inbound_webhook_url' }),
});

/** POST /hooks/inbound/{token}, as JSON or as a form. */
export const inboundPayloadSchema = z
  .object({
    code: z.preprocess(blankIsAbsent, z.string().trim().min(1).max(64).optional()),
    email: z.preprocess(blankIsAbsent, emailSchema.optional()),
    qualified: z.preprocess(blankIsAbsent, flag.default(true)).meta({ description: 'false unqualifies (refund, lost deal)' }),
    amount: z.preprocess(blankIsAbsent, minorUnits.optional()).meta({ description: 'Recorded as a conversion of the referral' }),
    currency: z.preprocess(blankIsAbsent, currencySchema.optional()),
    event: z.preprocess(blankIsAbsent, conversionEventSchema.optional()).meta({ description: 'Conversion event name for amount (default inbound)' }),
    event_id: z.preprocess(blankIsAbsent, z.string().trim().min(1).max(200).optional()).meta({ description: 'Your id of this event: a retry is applied once' }),
    reason: z.preprocess(blankIsAbsent, z.string().trim().max(500).optional()),
  })
  .superRefine((v, ctx) => {
    const ways = (v.code !== undefined ? 1 : 0) + (v.email !== undefined ? 1 : 0);
    if (ways !== 1) ctx.addIssue({ code: 'custom', path: ['code'], message: ways === 0 ? 'send code or email' : 'send code or email, not both' });
    requireCurrencyWithAmount(v, ctx);
  });
export type InboundPayload = z.infer<typeof inboundPayloadSchema>;

/** The answer to an applied inbound webhook. */
export const inboundAnswerSchema = z.object({
  ok: z.literal(true),
  changed: z.boolean().meta({ description: 'false when the referral already had this status (or event_id was applied before)' }),
  participant_id: z.string(),
  referral_status: z.enum(referralStatuses).nullable(),
});
export type InboundAnswer = z.infer<typeof inboundAnswerSchema>;

/** The body as an object: JSON, or a urlencoded form; anything else is a 415. */
export function decodeInboundBody(contentType: string | undefined, raw: Buffer): unknown {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  const text = raw.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  if (type === 'application/json' || type.endsWith('+json') || type === '') {
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError('validation_failed', 'The request body is not valid JSON', [{ path: '(body)', message: 'invalid JSON' }]);
    }
  }
  throw new ApiError('unsupported_media_type', `Send application/json or application/x-www-form-urlencoded, not ${type}`);
}
