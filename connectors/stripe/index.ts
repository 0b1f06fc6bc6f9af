import { z } from 'zod';
import { coversCampaign, defineConnector, SettingsError, type VendorAccount } from '../contract';
import { VendorError } from '../retry';
import { isStatus, openStripe, stripeCall, type StripeContext } from './client';
import { pushParticipant } from './push';
import { issueReward, STRIPE_REWARD_KINDS } from './rewards';
import { credentialsSchema, rulesFor, settingsSchema, type StripeCredentials, type StripeSettings } from './settings';
import { CUSTOMER_PAGE_MAX, listContacts, writeReferralLinks } from './sync';
import { parseWebhook, registerWebhooks, unregisterWebhooks } from './webhooks';

const accountSchema = z.object({
  id: z.string().min(1),
  default_currency: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  business_profile: z.object({ name: z.string().nullable().optional() }).nullable().optional(),
  settings: z.object({ dashboard: z.object({ display_name: z.string().nullable().optional() }).optional() }).nullable().optional(),
});

type Account = z.infer<typeof accountSchema>;

/**
 * The account behind the key; for a restricted key that may not read it (reading the account needs
 * a permission restricted keys rarely have), only the account id Stripe names in its refusal.
 */
// https://docs.stripe.com/api/accounts/retrieve (GET /v1/account)
async function readAccount(ctx: StripeContext): Promise<{ account: Account } | { refusedFor: string | null }> {
  const stripe = openStripe(ctx);
  try {
    return { account: accountSchema.parse(await stripeCall(() => stripe.accounts.retrieveCurrent())) };
  } catch (err) {
    if (!isStatus(err, 403) || !(err instanceof VendorError)) throw err;
    return { refusedFor: /on account '(acct_[A-Za-z0-9]+)'/.exec(err.outcome.message ?? '')?.[1] ?? null };
  }
}

async function verifyCredentials(ctx: StripeContext): Promise<VendorAccount> {
  const read = await readAccount(ctx);
  if ('account' in read) {
    const a = read.account;
    return { id: a.id, name: a.settings?.dashboard?.display_name ?? a.business_profile?.name ?? a.email ?? null };
  }
  // A restricted key: proven by a call the connector needs anyway (customers).
  const stripe = openStripe(ctx);
  await stripeCall(() => stripe.customers.list({ limit: 1 }));
  return { id: read.refusedFor ?? 'unknown (restricted key)', name: null };
}

/**
 * Spend is counted in the account's default currency: read it when connecting. A restricted key
 * that may not read the account must name `currency` when any campaign has a spend threshold.
 */
async function prepareSettings(ctx: StripeContext): Promise<StripeSettings> {
  const settings = ctx.settings;
  if (settings.currency) return settings;
  const read = await readAccount(ctx);
  const currency = 'account' in read ? read.account.default_currency?.toLowerCase() : undefined;
  if (currency) return { ...settings, currency };
  const thresholds = [null, ...Object.keys(settings.campaigns)].some((id) => rulesFor(settings, id).min_total_spend !== null);
  if (thresholds) throw new SettingsError([{ path: 'currency', message: "is required: the key may not read the account's default currency (grant Account read, or set the currency min_total_spend is in)" }]);
  return settings;
}

/**
 * The Stripe connector, on the official `stripe` SDK: customers made or linked at sign-up by the
 * campaign's creation policy with referral metadata, referrals qualified when the referred
 * customer's spend reaches the threshold within N days (and unqualified by refunds), webhook
 * endpoint registered through the API, rewards issued as balance credits or coupons.
 */
export const stripeConnector = defineConnector<StripeCredentials, StripeSettings>({
  vendor: 'stripe',
  displayName: 'Stripe',
  credentialsSchema,
  settingsSchema,
  linkBatchSize: 50,
  contactPageSize: CUSTOMER_PAGE_MAX,
  verifyCredentials,
  prepareSettings,
  registerWebhooks,
  unregisterWebhooks,
  pushParticipant,
  listContacts,
  writeReferralLinks,
  parseWebhook,
  spendRule(settings, campaignId) {
    const rules = rulesFor(settings, campaignId);
    if (rules.min_total_spend === null) return null;
    return {
      min_total_spend: rules.min_total_spend,
      currency: settings.currency ?? null,
      within_days: rules.within_days,
      unqualify_on_refund: rules.unqualify_on_refund,
      // With `always` and `if_not_exists` only the customer made for the participant counts, not one sharing the email.
      match_by_email: rules.customer_creation === 'never' || rules.customer_creation === 'update_existing',
    };
  },
  issuesRewards(settings, campaignId, kind) {
    return coversCampaign(settings, campaignId) && rulesFor(settings, campaignId).issue_rewards && STRIPE_REWARD_KINDS.includes(kind);
  },
  issueReward,
});

export default stripeConnector;
