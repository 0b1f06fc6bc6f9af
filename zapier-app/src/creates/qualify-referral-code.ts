import type { Bundle, Create, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { optionalText, parseInput, text } from '../lib/input';
import { reasonInputField } from '../lib/inputs';
import { changeReferral, referralChangeOutputFields } from '../lib/referral-change';
import { qualifiedReferralSample } from '../lib/samples';

const inputSchema = zod.object({ code: text(), reason: optionalText(), idempotency_key: optionalText() });
const labels = { code: 'Referral Code', reason: 'Reason', idempotency_key: 'Idempotency Key' };

/** "Qualify with code": the code the CRM kept for the referred person. */
const perform = async (z: ZObject, bundle: Bundle) => {
  const { code, ...options } = parseInput(z, inputSchema, bundle.inputData, labels);
  return changeReferral(z, bundle, 'qualify', { code }, options);
};

export default {
  key: 'qualify_referral_code' as const,
  noun: 'Referral',
  display: {
    label: 'Qualify Referral with Code',
    description:
      'Marks a referral as qualified by the referred person’s code (e.g. kept on the CRM deal) and creates the rewards it earns. Already qualified is not an error.',
  },
  operation: {
    perform,
    inputFields: [
      {
        key: 'code',
        label: 'Referral Code',
        required: true,
        helpText: 'The referred person’s own Referloop code (the `code` Referloop gave them, which you stored in your CRM).',
      },
      reasonInputField,
      {
        key: 'idempotency_key',
        label: 'Idempotency Key',
        helpText: 'Optional. A value unique to this business event (e.g. the deal ID): a repeat with the same key changes nothing.',
      },
    ],
    sample: qualifiedReferralSample,
    outputFields: referralChangeOutputFields,
  },
} satisfies Create;
