import { z } from 'zod';
import { recordRefSchema, recordStageSchema, vendorContactSchema } from './records';

/** Verified vendor events as signals, inbound deliveries, and webhook registrations. */

/** How core finds the participant a vendor signal is about, tried in this order. */
export const participantMatchSchema = z
  .object({
    /** a record id we stored when pushing (or syncing) */
    record: recordRefSchema.optional(),
    /** the referral-code field on the vendor record ("qualify with code") */
    referral_code: z.string().trim().min(1).max(64).optional(),
    email: z.string().trim().min(3).max(320).optional(),
    /** records any of which may stand for the participant (a deal's associated contacts); a referral among them is preferred */
    records: z.array(recordRefSchema).min(1).max(100).optional(),
  })
  .refine(
    (m) => m.record !== undefined || m.referral_code !== undefined || m.email !== undefined || m.records !== undefined,
    'a signal must name a record, a referral code or an email',
  );
export type ParticipantMatch = z.infer<typeof participantMatchSchema>;

const signalBase = {
  /** the vendor's id for this event: replays carry the same one and change nothing twice */
  event_id: z.string().min(1).max(500),
  /** when it happened at the vendor; an older signal never overrides a newer one already applied */
  occurred_at: z.iso.datetime({ offset: true }).optional(),
  /** campaigns whose per-campaign rule this event satisfies; absent = any campaign the integration covers */
  campaign_ids: z.array(z.string().min(1)).optional(),
  /**
   * The vendor account the event belongs to (a HubSpot portal id), for vendors whose app sends
   * every installation's events to one URL: core applies the signal to the integration connected
   * to that account, and only when that integration verifies the delivery too.
   */
  account_id: z.string().min(1).max(200).optional(),
};

/** A verified vendor event, translated to what it means for the referral loop. */
export const signalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('qualify'), ...signalBase, match: participantMatchSchema, reason: z.string().max(500).optional() }),
  z.object({ kind: z.literal('unqualify'), ...signalBase, match: participantMatchSchema, reason: z.string().max(500).optional() }),
  z.object({
    kind: z.literal('spend'),
    ...signalBase,
    match: participantMatchSchema,
    /** the payment (charge, invoice) counted once however many events mention it */
    payment_id: z.string().min(1).max(200),
    /** minor units; a refund is a positive amount with `refund: true` */
    amount: z.number().int().min(0),
    currency: z.string().regex(/^[A-Za-z]{3}$/),
    refund: z.boolean(),
    /**
     * For a refund: the payment it gives money back on (`payment_id` then names the refund itself).
     * Such a refund subtracts only while that payment counts, and never more than it.
     */
    refund_of: z.string().min(1).max(200).optional(),
    /** For a refund: `amount` is everything refunded on `refund_of` so far (a running total), not one refund. */
    cumulative: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('contact_created'), ...signalBase, contact: vendorContactSchema }),
  /**
   * A vendor record moved in its pipeline or lifecycle (a deal changed stage, was won or lost; a
   * contact's lifecycle stage changed). Core shows it as the participant's `crm.<vendor>.stage`;
   * it never changes the referral status (qualify and unqualify signals do that, next to it).
   * `occurred_at` orders it: an older stage never replaces a newer one.
   */
  z.object({ kind: z.literal('stage'), ...signalBase, match: participantMatchSchema, stage: recordStageSchema }),
]);
export type Signal = z.infer<typeof signalSchema>;

/** An inbound delivery exactly as it reached `/hooks/{vendor}/{token}`. */
export interface InboundDelivery {
  method: string;
  /** the full public URL it was sent to (some vendors sign it) */
  url: string;
  /** header names lower-cased */
  headers: Record<string, string>;
  rawBody: Buffer;
}

/** What a connector makes of an inbound delivery. */
export type WebhookVerdict =
  | { verified: true; signals: Signal[]; reply?: { status: number; body?: unknown } }
  | { verified: false; reason: string; status?: 400 | 401 | 403 };

/** A webhook we registered at the vendor. */
export const webhookRegistrationSchema = z.object({
  id: z.string().min(1),
  event: z.string().min(1),
  url: z.string().min(1),
});
export type WebhookRegistration = z.infer<typeof webhookRegistrationSchema>;

export const registerResultSchema = z.object({
  webhooks: z.array(webhookRegistrationSchema),
  /** secrets the registration produced (basic-auth password, signing secret): stored encrypted */
  secrets: z.record(z.string(), z.string()).optional(),
  /** when the vendor cannot register through its API: what the user must set up by hand */
  manual: z.object({ events: z.array(z.string()), instructions: z.string() }).optional(),
});
export type RegisterResult = z.infer<typeof registerResultSchema>;

export const accountSchema = z.object({
  /** the vendor account (company, portal, org) these credentials belong to */
  id: z.string().min(1),
  name: z.string().nullable().optional(),
  /** what the user should know about how these credentials connect (a login the vendor is retiring) */
  warning: z.string().max(500).nullable().optional(),
});
export type VendorAccount = z.infer<typeof accountSchema>;
