import type { Bundle, Search, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { participantOutputFields } from '../lib/fields';
import { callHub } from '../lib/hub';
import { optionalText, parseInput } from '../lib/input';
import { campaignInputField } from '../lib/inputs';
import { pageOf, participantSchema } from '../lib/resources';
import { participantSample } from '../lib/samples';

const inputSchema = zod.object({ email: optionalText(), code: optionalText(), campaign_id: optionalText() });
const labels = { email: 'Email', code: 'Referral Code', campaign_id: 'Campaign' };

/** GET /v1/participants?email|code: no match is an empty list, which lets "Find or Add" add them. */
const perform = async (z: ZObject, bundle: Bundle) => {
  const { email, code, campaign_id } = parseInput(z, inputSchema, bundle.inputData, labels);
  if (!email && !code) throw new z.errors.Error('Email: enter the Email or the Referral Code to look for.', 'InvalidInput', 400);
  const page = await callHub(z, bundle, pageOf(participantSchema), {
    path: '/v1/participants',
    params: { email, code, campaign_id, limit: 10 },
  });
  return page.data;
};

export default {
  key: 'find_participant' as const,
  noun: 'Participant',
  display: {
    label: 'Find Participant',
    description: 'Finds a participant by email or referral code, with their referral link and counts.',
  },
  operation: {
    perform,
    inputFields: [
      { key: 'email', label: 'Email', helpText: 'The person’s email address. Or use Referral Code.' },
      { key: 'code', label: 'Referral Code', helpText: 'The person’s own Referloop code, instead of Email.' },
      campaignInputField(false, 'Only look in this campaign (the same email can be in several campaigns).'),
    ],
    sample: participantSample,
    outputFields: participantOutputFields(),
  },
} satisfies Search;
