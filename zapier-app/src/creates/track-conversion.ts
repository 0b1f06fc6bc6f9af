import type { Bundle, Create, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { conversionOutputFields } from '../lib/fields';
import { callHub } from '../lib/hub';
import { campaignInputField } from '../lib/inputs';
import { optionalDict, optionalNumber, optionalText, parseInput, text } from '../lib/input';
import { toMinorUnits } from '../lib/money';
import { conversionSchema } from '../lib/resources';
import { conversionSample } from '../lib/samples';

const inputSchema = zod.object({
  event: text(),
  email: optionalText(),
  code: optionalText(),
  click_id: optionalText(),
  amount: optionalNumber(),
  currency: optionalText(),
  transaction_id: optionalText(),
  campaign_id: optionalText(),
  metadata: optionalDict(),
});
const labels = {
  event: 'Event',
  email: 'Email',
  code: 'Referral Code',
  click_id: 'Click ID',
  amount: 'Amount',
  currency: 'Currency',
  transaction_id: 'Transaction ID',
  campaign_id: 'Campaign',
  metadata: 'Metadata',
};

/** POST /v1/conversions. The amount is typed as 49.99 and sent in minor units (4999). */
const perform = async (z: ZObject, bundle: Bundle) => {
  const { amount, currency, email, code, click_id, ...rest } = parseInput(z, inputSchema, bundle.inputData, labels);
  if (!email && !code && !click_id) {
    throw new z.errors.Error('Email: enter who converted — their Email, Referral Code or Click ID.', 'InvalidInput', 400);
  }
  if (amount !== undefined && !currency) {
    throw new z.errors.Error('Currency: enter the currency of the amount (a three-letter code like USD).', 'InvalidInput', 400);
  }
  if (amount !== undefined && amount < 0) {
    throw new z.errors.Error('Amount: must not be negative.', 'InvalidInput', 400);
  }
  // One way to find the person is enough; the hub refuses several.
  const who = email ? { email } : code ? { code } : { click_id };
  return callHub(z, bundle, conversionSchema, {
    method: 'POST',
    path: '/v1/conversions',
    body: {
      ...rest,
      ...who,
      ...(currency ? { currency: currency.toUpperCase() } : {}),
      ...(amount !== undefined && currency ? { amount: toMinorUnits(amount, currency.toUpperCase()) } : {}),
    },
  });
};

export default {
  key: 'track_conversion' as const,
  noun: 'Conversion',
  display: {
    label: 'Track Conversion',
    description:
      'Records a business event (purchase, booking, subscription…) for a participant. Repeats with the same transaction ID are recorded once.',
  },
  operation: {
    perform,
    inputFields: [
      { key: 'event', label: 'Event', required: true, default: 'purchase', helpText: 'What happened, e.g. `purchase`, `subscription`, `booking`.' },
      { key: 'email', label: 'Email', helpText: 'The email of who converted. Or use Referral Code or Click ID instead.' },
      { key: 'code', label: 'Referral Code', helpText: 'The Referloop code of who converted, instead of Email.' },
      { key: 'click_id', label: 'Click ID', helpText: 'The `rl_click` value of the visit, instead of Email.' },
      { key: 'amount', label: 'Amount', type: 'number', helpText: 'The value in the currency’s usual unit, e.g. `49.99` (sent to Referloop as 4999 cents).' },
      { key: 'currency', label: 'Currency', helpText: 'Three-letter currency code, e.g. `USD`. Required with Amount.' },
      { key: 'transaction_id', label: 'Transaction ID', helpText: 'Your order or invoice id: the same transaction is only recorded once.' },
      campaignInputField(false, 'Only needed when the same email is in several campaigns: the campaign to record it in.'),
      { key: 'metadata', label: 'Metadata', dict: true, helpText: 'Your own key/value data, returned as given.' },
    ],
    sample: conversionSample,
    outputFields: conversionOutputFields(),
  },
} satisfies Create;
