import type { Bundle, Create, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { optionalText, parseInput, text } from '../lib/input';
import { campaignInputField, reasonInputField } from '../lib/inputs';
import { changeReferral, referralChangeOutputFields } from '../lib/referral-change';
import { qualifiedReferralSample } from '../lib/samples';

const inputSchema = zod.object({ campaign_id: text(), email: text(), reason: optionalText(), idempotency_key: optionalText() });
const labels = { campaign_id: 'Campaign', email: 'Email', reason: 'Reason', idempotency_key: 'Idempotency Key' };

const perform = async (z: ZObject, bundle: Bundle) => {
  const { campaign_id, email, ...options } = parseInput(z, inputSchema, bundle.inputData, labels);
  return changeReferral(z, bundle, 'qualify', { email, campaign_id }, options);
};

export default {
  key: 'qualify_referral_email' as const,
  noun: 'Referral',
  display: {
    label: 'Qualify Referral by Email',
    description:
      'Marks the referral with this email in a campaign as qualified and creates the rewards it earns. Already qualified is not an error.',
  },
  operation: {
    perform,
    inputFields: [
      campaignInputField(true, 'The campaign the referred person joined.'),
      { key: 'email', label: 'Email', required: true, helpText: 'The referred person’s email address.' },
      reasonInputField,
      {
        key: 'idempotency_key',
        label: 'Idempotency Key',
        helpText: 'Optional. A value unique to this business event (e.g. the order ID): a repeat with the same key changes nothing.',
      },
    ],
    sample: qualifiedReferralSample,
    outputFields: referralChangeOutputFields,
  },
} satisfies Create;
