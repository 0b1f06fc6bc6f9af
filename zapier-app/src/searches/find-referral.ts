import type { Bundle, Search, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { participantOutputFields } from '../lib/fields';
import { callHub } from '../lib/hub';
import { optionalText, parseInput } from '../lib/input';
import { campaignInputField } from '../lib/inputs';
import { pageOf, participantSchema } from '../lib/resources';
import { qualifiedReferralSample } from '../lib/samples';

const referralStatuses = ['pending', 'qualified', 'unqualified', 'flagged'] as const;

const inputSchema = zod.object({
  email: optionalText(),
  code: optionalText(),
  campaign_id: optionalText(),
  referral_status: optionalText().pipe(zod.enum(referralStatuses).optional()),
});
const labels = { email: 'Email', code: 'Referral Code', campaign_id: 'Campaign', referral_status: 'Referral Status' };

/** A referral is a referred participant: the same lookup, restricted to type=referred. */
const perform = async (z: ZObject, bundle: Bundle) => {
  const { email, code, campaign_id, referral_status } = parseInput(z, inputSchema, bundle.inputData, labels);
  if (!email && !code) throw new z.errors.Error('Email: enter the referred person’s Email or Referral Code.', 'InvalidInput', 400);
  const page = await callHub(z, bundle, pageOf(participantSchema), {
    path: '/v1/participants',
    params: { type: 'referred', email, code, campaign_id, referral_status, limit: 10 },
  });
  return page.data;
};

export default {
  key: 'find_referral' as const,
  noun: 'Referral',
  display: {
    label: 'Find Referral',
    description: 'Finds a referred sign-up by email or code, with its status and who referred them.',
  },
  operation: {
    perform,
    inputFields: [
      { key: 'email', label: 'Email', helpText: 'The referred person’s email address. Or use Referral Code.' },
      { key: 'code', label: 'Referral Code', helpText: 'The referred person’s own Referloop code, instead of Email.' },
      campaignInputField(false, 'Only look in this campaign.'),
      {
        key: 'referral_status',
        label: 'Referral Status',
        choices: [...referralStatuses],
        helpText: 'Only find the referral when it has this status (e.g. `pending` to act only on referrals not yet qualified).',
      },
    ],
    sample: qualifiedReferralSample,
    outputFields: participantOutputFields(),
  },
} satisfies Search;
