import type Stripe from 'stripe';
import { z } from 'zod';
import type { PushInput } from '../contract';
import { stripeCall } from './client';
import { METADATA_MAX_VALUE, metadataFields, PARTICIPANT_KEY, type CampaignRules, type MetadataField } from './settings';

export { PARTICIPANT_KEY };


/** The customer fields we read, parsed at the edge. */
export const customerSchema = z.object({
  id: z.string().min(1),
  email: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  metadata: z.record(z.string(), z.string()).nullable().optional(),
  created: z.number().int(),
});
export type StripeCustomer = z.infer<typeof customerSchema>;

const metadataFieldSchema = z.enum(metadataFields);
const customerListSchema = z.object({ data: z.array(customerSchema), has_more: z.boolean() });

/**
 * Customers with this email. The list filter is exact and case-sensitive, and unlike search it
 * sees a customer made a moment ago (search is eventually consistent), which `if_not_exists`
 * depends on; the lower-cased address is asked too when it differs. Oldest first.
 */
// https://docs.stripe.com/api/customers/list#list_customers-email
export async function findCustomersByEmail(stripe: Stripe, email: string): Promise<StripeCustomer[]> {
  const variants = [...new Set([email.trim(), email.trim().toLowerCase()])];
  const found = new Map<string, StripeCustomer>();
  for (const variant of variants) {
    const page = customerListSchema.parse(await stripeCall(() => stripe.customers.list({ email: variant, limit: 100 })));
    for (const c of page.data) found.set(c.id, c);
  }
  return [...found.values()].sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
}

function fieldValue(field: MetadataField, input: PushInput): string | null {
  const r = input.referrer;
  switch (field) {
    case 'first_name':
      return input.first_name;
    case 'last_name':
      return input.last_name;
    case 'name':
      return input.name;
    case 'email':
      return input.email;
    case 'code':
      return input.code;
    case 'referral_link':
      return input.referral_link;
    case 'campaign':
      return input.campaign_name;
    case 'referrer_first_name':
      return r?.first_name ?? null;
    case 'referrer_last_name':
      return r?.last_name ?? null;
    case 'referrer_name':
      return r ? (r.name ?? r.email) : null;
    case 'referrer_email':
      return r?.email ?? null;
    case 'referrer_code':
      return r?.code ?? null;
  }
}

/**
 * The metadata a customer gets: the campaign's mapping of participant and referrer fields, its
 * fixed values, and our participant id. Stripe removes a key set to '' — a field without a value
 * clears what an earlier push wrote. Values are cut to Stripe's 500 characters.
 */
export function metadataFor(rules: CampaignRules, input: PushInput): Record<string, string> {
  const out: Record<string, string> = { ...rules.metadata_values };
  for (const [field, key] of Object.entries(rules.metadata)) {
    const parsed = metadataFieldSchema.safeParse(field);
    if (!parsed.success || !key) continue;
    out[key] = (fieldValue(parsed.data, input) ?? '').slice(0, METADATA_MAX_VALUE);
  }
  out[PARTICIPANT_KEY] = input.participant_id;
  return out;
}
