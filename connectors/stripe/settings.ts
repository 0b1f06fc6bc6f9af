import { z } from 'zod';
import { connectorSettingsSchema } from '../contract';

/**
 * What a Stripe integration is configured with: a secret or restricted key (and, when the key may
 * not register webhooks, the signing secret of the endpoint the user added by hand), and per
 * campaign the customer creation policy, the spend rule and the metadata written on customers.
 * Rules at the top level are every campaign's defaults; a campaign's own override them.
 */

// https://docs.stripe.com/keys (sk_… secret keys, rk_… restricted keys) · https://docs.stripe.com/webhooks#endpoint-secrets (whsec_…)
export const credentialsSchema = z
  .object({
    secret_key: z
      .string()
      .trim()
      .regex(/^(sk|rk)_(test|live)_[A-Za-z0-9]{8,}$/, 'must be a Stripe secret key (sk_…) or restricted key (rk_…)')
      .max(300),
    webhook_secret: z
      .string()
      .trim()
      .regex(/^whsec_[A-Za-z0-9+/=]{8,}$/, 'must be a webhook signing secret (whsec_…)')
      .max(300)
      .optional(),
  })
  .strict();
export type StripeCredentials = z.infer<typeof credentialsSchema>;

/**
 * - `never`: no customer is made; checkout makes it, and spend is matched by email;
 * - `always`: a customer is made at sign-up even when one has the email (a duplicate); only spend on it counts;
 * - `if_not_exists`: one is made only when none has the email; an existing customer can never qualify;
 * - `update_existing`: the customer with the email is reused and updated (else one is made).
 */
export const customerCreationPolicies = ['never', 'always', 'if_not_exists', 'update_existing'] as const;
export type CustomerCreation = (typeof customerCreationPolicies)[number];

/** Participant and referrer fields that can be written to Stripe customer metadata. */
export const metadataFields = [
  'first_name',
  'last_name',
  'name',
  'email',
  'code',
  'referral_link',
  'campaign',
  'referrer_first_name',
  'referrer_last_name',
  'referrer_name',
  'referrer_email',
  'referrer_code',
] as const;
export type MetadataField = (typeof metadataFields)[number];

// Stripe's metadata limits: at most 50 keys, keys up to 40 characters without square brackets, values up to 500 characters.
// https://docs.stripe.com/metadata#data
export const METADATA_MAX_KEYS = 50;
/** Written on every customer we make (one of the 50 keys), so a retried push recognises its own customer. */
export const PARTICIPANT_KEY = 'referloop_participant_id';
export const METADATA_MAX_VALUE = 500;
const metadataKeySchema = z
  .string()
  .trim()
  .min(1)
  .max(40, 'Stripe metadata keys are at most 40 characters')
  .regex(/^[^[\]]+$/, 'Stripe metadata keys may not contain square brackets');

/** field → Stripe metadata key. First name and email must be mapped. */
const metadataMapSchema = z.partialRecord(z.enum(metadataFields), metadataKeySchema);
export type MetadataMap = z.infer<typeof metadataMapSchema>;
/** Fixed values written on every customer (`source: referloop`). */
const metadataValuesSchema = z.record(metadataKeySchema, z.string().max(METADATA_MAX_VALUE, `Stripe metadata values are at most ${METADATA_MAX_VALUE} characters`));

const defaultMetadata: MetadataMap = {
  first_name: 'referloop_first_name',
  email: 'referloop_email',
  code: 'referloop_code',
  referral_link: 'referloop_referral_link',
  referrer_name: 'referloop_referrer_name',
  referrer_email: 'referloop_referrer_email',
};

const rule = {
  customer_creation: z.enum(customerCreationPolicies),
  /** minor units of `currency`; without it the campaign has no spend rule */
  min_total_spend: z.number().int().min(1).max(1e12),
  /** the window after sign-up in which spend counts */
  within_days: z.number().int().min(1).max(3650),
  /** a refund inside the window taking spend below the threshold unqualifies the referral */
  unqualify_on_refund: z.boolean(),
  metadata: metadataMapSchema,
  metadata_values: metadataValuesSchema,
  /** issue the campaign's credit and coupon rewards through Stripe */
  issue_rewards: z.boolean(),
};

const baseSchema = connectorSettingsSchema(
  {
    customer_creation: rule.customer_creation.default('never'),
    min_total_spend: rule.min_total_spend.optional(),
    within_days: rule.within_days.default(30),
    unqualify_on_refund: rule.unqualify_on_refund.default(true),
    metadata: rule.metadata.default(defaultMetadata),
    metadata_values: rule.metadata_values.default({}),
    issue_rewards: rule.issue_rewards.default(false),
    /** the currency spend is counted in: the account's default currency, filled in when connecting */
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO currency code')
      .transform((c) => c.toLowerCase())
      .optional(),
  },
  {
    customer_creation: rule.customer_creation.optional(),
    min_total_spend: rule.min_total_spend.optional(),
    within_days: rule.within_days.optional(),
    unqualify_on_refund: rule.unqualify_on_refund.optional(),
    /** replaces the top-level mapping for this campaign */
    metadata: rule.metadata.optional(),
    metadata_values: rule.metadata_values.optional(),
    issue_rewards: rule.issue_rewards.optional(),
  },
);
type ParsedSettings = z.infer<typeof baseSchema>;

/** The rules in force for one campaign: its own, else the top-level ones. */
export interface CampaignRules {
  customer_creation: CustomerCreation;
  min_total_spend: number | null;
  within_days: number;
  unqualify_on_refund: boolean;
  metadata: MetadataMap;
  metadata_values: Record<string, string>;
  issue_rewards: boolean;
}

export function rulesFor(settings: ParsedSettings, campaignId: string | null): CampaignRules {
  const own = campaignId === null ? undefined : settings.campaigns[campaignId];
  return {
    customer_creation: own?.customer_creation ?? settings.customer_creation,
    min_total_spend: own?.min_total_spend ?? settings.min_total_spend ?? null,
    within_days: own?.within_days ?? settings.within_days,
    unqualify_on_refund: own?.unqualify_on_refund ?? settings.unqualify_on_refund,
    metadata: own?.metadata ?? settings.metadata,
    metadata_values: own?.metadata_values ?? settings.metadata_values,
    issue_rewards: own?.issue_rewards ?? settings.issue_rewards,
  };
}

/**
 * The settings schema, with Stripe's metadata limits checked at save time: every rule set maps
 * first name and email, uses each key once, and stays within 50 keys in all.
 */
export const settingsSchema = baseSchema.superRefine((settings, ctx) => {
  const scopes: Array<[string[], CampaignRules]> = [[[], rulesFor(settings, null)]];
  for (const id of Object.keys(settings.campaigns)) scopes.push([['campaigns', id], rulesFor(settings, id)]);
  for (const [at, rules] of scopes) {
    for (const required of ['first_name', 'email'] as const) {
      if (!rules.metadata[required]) ctx.addIssue({ code: 'custom', path: [...at, 'metadata', required], message: `must be mapped to a Stripe metadata key` });
    }
    const keys = [PARTICIPANT_KEY, ...Object.values(rules.metadata), ...Object.keys(rules.metadata_values)];
    const seen = new Set<string>();
    for (const key of keys) {
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [...at, 'metadata'], message: key === PARTICIPANT_KEY ? `the Stripe metadata key '${key}' is reserved for Referloop` : `the Stripe metadata key '${key}' is used twice` });
      seen.add(key);
    }
    if (keys.length > METADATA_MAX_KEYS) ctx.addIssue({ code: 'custom', path: [...at, 'metadata'], message: `Stripe allows at most ${METADATA_MAX_KEYS} metadata keys; ${keys.length} are configured` });
  }
});
export type StripeSettings = z.infer<typeof settingsSchema>;
