import { z } from 'zod';
import { amountSchema, currencySchema, metadataSchema, timestampSchema } from './common';

export const campaignStatuses = ['draft', 'live', 'paused', 'ended'] as const;

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });
const originSchema = z
  .string()
  .regex(/^https?:\/\/[^/\s]+$/, 'must be an origin like https://shop.example.com (scheme and host, no path)');

/** When a rule fires: each qualified referral, every Nth one, or once at a milestone of N. */
export const rewardTriggerSchema = z.enum(['each_qualified', 'every_nth', 'milestone']);
export const rewardRecipientSchema = z.enum(['referrer', 'friend', 'both']);
export const rewardKindSchema = z.enum(['credit', 'coupon', 'cash', 'custom']);

const rewardRuleFields = z.object({
  id: z.string().max(40).optional().meta({ description: 'Kept when given; assigned otherwise' }),
  name: z.string().trim().max(200).optional(),
  trigger: rewardTriggerSchema,
  n: z.number().int().min(1).max(100_000).optional().meta({ description: 'N of every_nth and milestone' }),
  recipient: rewardRecipientSchema.default('referrer'),
  kind: rewardKindSchema,
  amount: amountSchema.optional().meta({ description: 'Minor units (cents) for credit, cash and amount-off coupons' }),
  currency: currencySchema.optional(),
  percent_off: z.number().int().min(1).max(100).optional().meta({ description: 'Percent-off coupons' }),
  description: z.string().trim().max(500).optional().meta({ description: 'What the reward is, in words (required for custom)' }),
  approval: z.enum(['auto', 'manual']).default('auto'),
  hold_days: z.number().int().min(0).max(365).default(0),
});

/** One reward rule, as sent and as stored. */
export const rewardRuleSchema = rewardRuleFields.superRefine((rule, ctx) => {
  if ((rule.trigger === 'every_nth' || rule.trigger === 'milestone') && rule.n === undefined) {
    ctx.addIssue({ code: 'custom', path: ['n'], message: `is required for trigger ${rule.trigger}` });
  }
  if (rule.trigger === 'every_nth' && rule.n !== undefined && rule.n < 2) {
    ctx.addIssue({ code: 'custom', path: ['n'], message: 'must be at least 2 for every_nth (use each_qualified for 1)' });
  }
  const money = rule.kind === 'credit' || rule.kind === 'cash' || (rule.kind === 'coupon' && rule.percent_off === undefined);
  if (money) {
    if (rule.amount === undefined) ctx.addIssue({ code: 'custom', path: ['amount'], message: `is required for ${rule.kind} rewards` });
    if (rule.currency === undefined) ctx.addIssue({ code: 'custom', path: ['currency'], message: `is required for ${rule.kind} rewards` });
  }
  if (rule.kind !== 'coupon' && rule.percent_off !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['percent_off'], message: 'only applies to coupon rewards' });
  }
  if (rule.kind === 'custom' && !rule.description) {
    ctx.addIssue({ code: 'custom', path: ['description'], message: 'is required for custom rewards' });
  }
});
export type RewardRuleInput = z.input<typeof rewardRuleSchema>;
export type RewardRule = z.infer<typeof rewardRuleSchema> & { id: string };

/** Fraud checks, all on by default. */
export const fraudSettingsSchema = z.object({
  self_referral: z.boolean().default(true),
  duplicate_email: z.boolean().default(true),
  same_ip: z.boolean().default(true),
  disposable_email: z.boolean().default(true),
});
export type FraudSettings = z.infer<typeof fraudSettingsSchema>;

/** The conversion that qualifies a referral by itself (e.g. `purchase` of at least 20.00 USD). */
export const campaignGoalSchema = z.object({
  event: z.string().trim().min(1).max(100),
  min_amount: amountSchema.optional(),
  currency: currencySchema.optional(),
});

/** What the public join and share pages show. */
export const campaignPageSchema = z.object({
  headline: z.string().trim().max(200).optional(),
  description: z.string().trim().max(2000).optional(),
  reward_text: z.string().trim().max(500).optional(),
  logo_url: httpUrl.optional(),
  brand_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a hex colour like #3355ff').optional(),
  consent_text: z.string().trim().max(1000).optional(),
});

const codeSettingsSchema = z.object({
  length: z.number().int().min(5).max(16).default(8),
  prefix: z
    .string()
    .regex(/^[A-Z0-9-]{0,12}$/, 'up to 12 upper-case letters, digits or dashes')
    .default(''),
});

const campaignFields = {
  name: z.string().trim().min(1).max(200),
  slug: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'lower-case letters, digits and dashes')
    .optional(),
  status: z.enum(campaignStatuses),
  destination_url: httpUrl,
  code: codeSettingsSchema,
  attribution: z.enum(['first_click', 'last_click']),
  attribution_window_days: z.number().int().min(1).max(365),
  cookie_days: z.number().int().min(1).max(400),
  review_mode: z.enum(['auto', 'manual']).meta({ description: 'manual: every reward waits for a person' }),
  test_mode: z.boolean(),
  reward_rules: z.array(rewardRuleSchema).max(20),
  fraud: fraudSettingsSchema,
  goal: campaignGoalSchema.nullable(),
  allowed_origins: z.array(originSchema).max(50),
  page: campaignPageSchema,
  metadata: metadataSchema,
};

/** POST /v1/campaigns */
export const createCampaignSchema = z.object({
  ...campaignFields,
  status: campaignFields.status.default('live'),
  code: codeSettingsSchema.default({ length: 8, prefix: '' }),
  attribution: campaignFields.attribution.default('last_click'),
  attribution_window_days: campaignFields.attribution_window_days.default(30),
  cookie_days: campaignFields.cookie_days.default(30),
  review_mode: campaignFields.review_mode.default('auto'),
  test_mode: campaignFields.test_mode.default(false),
  reward_rules: campaignFields.reward_rules.default([]),
  fraud: fraudSettingsSchema.default({ self_referral: true, duplicate_email: true, same_ip: true, disposable_email: true }),
  goal: campaignFields.goal.default(null),
  allowed_origins: campaignFields.allowed_origins.default([]),
  page: campaignPageSchema.default({}),
  metadata: metadataSchema.default({}),
});
export type CreateCampaignInput = z.infer<typeof createCampaignSchema>;

/** PATCH /v1/campaigns/{id}: any subset; objects replace the stored value whole. */
export const updateCampaignSchema = z
  .object({ ...campaignFields, fraud: fraudSettingsSchema.partial() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'send at least one field to change');
export type UpdateCampaignInput = z.infer<typeof updateCampaignSchema>;

/** The campaign resource. */
export const campaignSchema = z.object({
  id: z.string(),
  object: z.literal('campaign'),
  name: z.string(),
  slug: z.string(),
  status: z.enum(campaignStatuses),
  destination_url: z.string(),
  code: z.object({ length: z.number(), prefix: z.string() }),
  attribution: z.enum(['first_click', 'last_click']),
  attribution_window_days: z.number(),
  cookie_days: z.number(),
  review_mode: z.enum(['auto', 'manual']),
  test_mode: z.boolean(),
  reward_rules: z.array(rewardRuleFields.extend({ id: z.string() })),
  fraud: fraudSettingsSchema,
  goal: campaignGoalSchema.nullable(),
  allowed_origins: z.array(z.string()),
  page: campaignPageSchema,
  metadata: z.record(z.string(), z.unknown()),
  join_url: z.string(),
  embed: z
    .object({ url: z.string(), snippet: z.string() })
    .meta({ description: 'The join form for your own site: paste snippet (an iframe and its sizing script); it renders only inside allowed_origins' }),
  inbound_webhook_url: z.string(),
  inbound_signing: z.boolean(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignListQuerySchema = z.object({ status: z.enum(campaignStatuses).optional() });
