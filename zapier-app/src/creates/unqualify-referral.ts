import type { Bundle, Create, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { optionalText, parseInput } from '../lib/input';
import { campaignInputField, reasonInputField } from '../lib/inputs';
import { changeReferral, referralChangeOutputFields, type ReferralSelector } from '../lib/referral-change';
import { unqualifiedReferralSample } from '../lib/samples';

const inputSchema = zod.object({ code: optionalText(), email: optionalText(), campaign_id: optionalText(), reason: optionalText() });
const labels = { code: 'Referral Code', email: 'Email', campaign_id: 'Campaign', reason: 'Reason' };

/** Reverse a qualification (refund, deal lost): unpaid rewards of the referral are voided. */
const perform = async (z: ZObject, bundle: Bundle) => {
  const { code, email, campaign_id, reason } = parseInput(z, inputSchema, bundle.inputData, labels);
  let selector: ReferralSelector;
  if (code) selector = { code };
  else if (email && campaign_id) selector = { email, campaign_id };
  else {
    throw new z.errors.Error(
      email ? 'Campaign: choose the campaign to find this email in.' : 'Referral Code: enter the referral’s code, or its Email and Campaign.',
      'InvalidInput',
      400,
    );
  }
  return changeReferral(z, bundle, 'unqualify', selector, { reason });
};

export default {
  key: 'unqualify_referral' as const,
  noun: 'Referral',
  display: {
    label: 'Unqualify Referral',
    description: 'Reverses a referral’s qualification (refund, lost deal) and voids its rewards not yet issued. Find it by code, or by email and campaign.',
  },
  operation: {
    perform,
    inputFields: [
      { key: 'code', label: 'Referral Code', helpText: 'The referred person’s own code. Or leave empty and use Email and Campaign.' },
      { key: 'email', label: 'Email', helpText: 'The referred person’s email (with Campaign), when you do not have the code.' },
      campaignInputField(false, 'Needed with Email.'),
      reasonInputField,
    ],
    sample: unqualifiedReferralSample,
    outputFields: referralChangeOutputFields,
  },
} satisfies Create;
