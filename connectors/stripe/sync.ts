import { z } from 'zod';
import type { ContactPage, LinkWrite, LinkWriteResult, VendorContact } from '../contract';
import { isStatus, openStripe, stripeCall, type StripeContext } from './client';
import { customerSchema, type StripeCustomer } from './customers';
import { rulesFor } from './settings';

/** Stripe's largest list page. */
export const CUSTOMER_PAGE_MAX = 100;

const pageSchema = z.object({ data: z.array(customerSchema), has_more: z.boolean() });

/** Where the code and the link live on a customer: the top-level mapping's keys (our defaults when unmapped). */
function linkKeys(ctx: StripeContext): { code: string; link: string } {
  const metadata = rulesFor(ctx.settings, null).metadata;
  return { code: metadata.code ?? 'referloop_code', link: metadata.referral_link ?? 'referloop_referral_link' };
}

function toContact(c: StripeCustomer, codeKey: string): VendorContact {
  const [first, ...rest] = (c.name ?? '').trim().split(/\s+/).filter(Boolean);
  return {
    id: c.id,
    object: 'customer',
    email: c.email ?? null,
    first_name: first ?? null,
    last_name: rest.length > 0 ? rest.join(' ') : null,
    referral_code: c.metadata?.[codeKey] ?? null,
  };
}

/** One page of customers, newest first; the cursor is the last customer id (Stripe's `starting_after`). */
// https://docs.stripe.com/api/customers/list
export async function listContacts(ctx: StripeContext, input: { cursor: string | null; pageSize: number }): Promise<ContactPage> {
  const stripe = openStripe(ctx);
  const limit = Math.min(Math.max(input.pageSize, 1), CUSTOMER_PAGE_MAX);
  const page = pageSchema.parse(await stripeCall(() => stripe.customers.list({ limit, ...(input.cursor ? { starting_after: input.cursor } : {}) })));
  const { code } = linkKeys(ctx);
  const last = page.data.at(-1);
  return { contacts: page.data.map((c) => toContact(c, code)), next_cursor: page.has_more && last ? last.id : null, total: null };
}

/**
 * Write each link and code into the customer's metadata (one update per customer: Stripe has no
 * bulk update). A customer deleted meanwhile is a failure of its own; anything else fails the
 * batch for the shared retry decision (writing the same values again is harmless).
 */
// https://docs.stripe.com/api/customers/update
export async function writeReferralLinks(ctx: StripeContext, writes: LinkWrite[]): Promise<LinkWriteResult> {
  const stripe = openStripe(ctx);
  const keys = linkKeys(ctx);
  const failed: LinkWriteResult['failed'] = [];
  for (const w of writes) {
    try {
      await stripeCall(() => stripe.customers.update(w.contact_id, { metadata: { [keys.code]: w.code, [keys.link]: w.referral_link } }));
    } catch (err) {
      if (isStatus(err, 404)) failed.push({ contact_id: w.contact_id, message: 'the customer no longer exists in Stripe' });
      else throw err;
    }
  }
  return { failed };
}
