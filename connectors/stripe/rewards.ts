import type Stripe from 'stripe';
import { z } from 'zod';
import type { IssuedReward, RewardToIssue } from '../contract';
import { openStripe, stripeCall, type StripeContext } from './client';
import { customerSchema, findCustomersByEmail, PARTICIPANT_KEY } from './customers';

const idSchema = z.object({ id: z.string().min(1) });
const promotionCodeSchema = z.object({ id: z.string().min(1), code: z.string().min(1) });

/** The kinds of reward Stripe issues: a balance credit, or a coupon behind a one-time promotion code. */
export const STRIPE_REWARD_KINDS: readonly string[] = ['credit', 'coupon'];

/**
 * The recipient's Stripe customer: the one stored for the participant, else the oldest with the
 * email, else a new one (under an idempotency key of the participant, so a retry makes no second).
 */
async function recipientCustomer(stripe: Stripe, reward: RewardToIssue): Promise<string> {
  const stored = reward.recipient.vendor_ids?.customer;
  if (stored) return stored;
  const found = await findCustomersByEmail(stripe, reward.recipient.email);
  if (found[0]) return found[0].id;
  const created = customerSchema.parse(
    await stripeCall(() =>
      stripe.customers.create(
        { email: reward.recipient.email, name: reward.recipient.name ?? undefined, metadata: { [PARTICIPANT_KEY]: reward.recipient.participant_id } },
        { idempotencyKey: `referloop-customer-${reward.recipient.participant_id}` },
      ),
    ),
  );
  return created.id;
}

/**
 * Issue a reward at Stripe, under our reward id as the idempotency key: a retry after a lost
 * answer gets the first answer back and never pays twice.
 * - `credit`: a customer balance transaction with a negative amount (a credit the customer's next
 *   invoices use), answered with the transaction id;
 * - `coupon`: a coupon (amount or percent off, once) and a one-time promotion code for the
 *   recipient, answered with the promotion code id and the code itself.
 */
export async function issueReward(ctx: StripeContext, reward: RewardToIssue): Promise<IssuedReward> {
  const stripe = openStripe(ctx);
  const customer = await recipientCustomer(stripe, reward);
  const metadata = { referloop_reward_id: reward.reward_id, [PARTICIPANT_KEY]: reward.recipient.participant_id };
  const currency = (reward.currency ?? ctx.settings.currency)?.toLowerCase();
  const description = (reward.description ?? 'Referral reward').slice(0, 350);

  if (reward.kind === 'credit') {
    if (!reward.amount || !currency) throw new Error('a credit reward needs an amount and a currency');
    const amount = reward.amount;
    // https://docs.stripe.com/api/customer_balance_transactions/create (negative amount = credit)
    const txn = idSchema.parse(
      await stripeCall(() => stripe.customers.createBalanceTransaction(customer, { amount: -amount, currency, description, metadata }, { idempotencyKey: reward.reward_id })),
    );
    return { external_id: txn.id };
  }

  if (reward.kind === 'coupon') {
    const off = reward.percent_off !== null ? { percent_off: reward.percent_off } : reward.amount && currency ? { amount_off: reward.amount, currency } : null;
    if (!off) throw new Error('a coupon reward needs percent_off, or an amount and a currency');
    // https://docs.stripe.com/api/coupons/create
    const coupon = idSchema.parse(
      await stripeCall(() => stripe.coupons.create({ ...off, duration: 'once', max_redemptions: 1, name: description.slice(0, 40), metadata }, { idempotencyKey: reward.reward_id })),
    );
    // https://docs.stripe.com/api/promotion_codes/create
    const promo = promotionCodeSchema.parse(
      await stripeCall(() =>
        stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, customer, max_redemptions: 1, metadata }, { idempotencyKey: `${reward.reward_id}-promotion-code` }),
      ),
    );
    return { external_id: promo.id, reward_code: promo.code };
  }

  throw new Error(`Stripe does not issue ${reward.kind} rewards`);
}
