import type { PushInput, PushResult } from '../contract';
import { isStatus, openStripe, stripeCall, type StripeContext } from './client';
import { customerSchema, findCustomersByEmail, metadataFor, PARTICIPANT_KEY } from './customers';
import { rulesFor } from './settings';

/**
 * Make or link the Stripe customer of a new participant, as the campaign's creation policy says
 * (settings.ts). Our customers carry the participant id in metadata and are created under an
 * idempotency key of the participant, so a push retried after a lost answer finds its customer
 * instead of making a second one.
 */
export async function pushParticipant(ctx: StripeContext, input: PushInput): Promise<PushResult> {
  const rules = rulesFor(ctx.settings, input.campaign_id);
  if (rules.customer_creation === 'never') return { ids: {}, created: false };
  const stripe = openStripe(ctx);
  const metadata = metadataFor(rules, input);

  const stored = input.existing?.customer;
  if (stored) {
    try {
      // https://docs.stripe.com/api/customers/update
      await stripeCall(() => stripe.customers.update(stored, { metadata }));
      return { ids: { customer: stored }, created: false };
    } catch (err) {
      // Deleted in Stripe since: the policy decides again below.
      if (!isStatus(err, 404)) throw err;
    }
  }

  const create = async (): Promise<PushResult> => {
    // https://docs.stripe.com/api/customers/create
    const customer = customerSchema.parse(
      await stripeCall(() =>
        stripe.customers.create({ email: input.email, name: input.name ?? undefined, metadata }, { idempotencyKey: `referloop-customer-${input.participant_id}` }),
      ),
    );
    return { ids: { customer: customer.id }, created: true };
  };
  if (rules.customer_creation === 'always') return create();

  const withEmail = await findCustomersByEmail(stripe, input.email);
  const ours = withEmail.find((c) => c.metadata?.[PARTICIPANT_KEY] === input.participant_id);
  if (ours) return { ids: { customer: ours.id }, created: false };
  const existing = withEmail[0];
  if (!existing) return create();
  if (rules.customer_creation === 'if_not_exists') {
    // Nothing is linked: spend on that customer must never qualify this referral.
    return { ids: {}, created: false, unqualify_reason: `existing Stripe customer ${existing.id} has this email: an existing customer cannot be referred` };
  }
  const target = existing;
  await stripeCall(() => stripe.customers.update(target.id, { metadata }));
  return { ids: { customer: target.id }, created: false };
}
