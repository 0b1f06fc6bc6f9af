import type { Bundle, Search, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { rewardOutputFields } from '../lib/fields';
import { callHub, findOnHub } from '../lib/hub';
import { optionalText, parseInput } from '../lib/input';
import { campaignInputField } from '../lib/inputs';
import { pageOf, rewardSchema } from '../lib/resources';
import { rewardSample } from '../lib/samples';

const rewardStatuses = ['pending', 'approved', 'delayed', 'declined', 'issued'] as const;

const inputSchema = zod.object({
  reward_id: optionalText(),
  referral_id: optionalText(),
  participant_id: optionalText(),
  campaign_id: optionalText(),
  status: optionalText().pipe(zod.enum(rewardStatuses).optional()),
});
const labels = { reward_id: 'Reward ID', referral_id: 'Referral ID', participant_id: 'Recipient Participant ID', campaign_id: 'Campaign', status: 'Status' };

/** By id (GET /v1/rewards/{id}, 404 = not found), or the newest reward matching the filters. */
const perform = async (z: ZObject, bundle: Bundle) => {
  const { reward_id, ...filters } = parseInput(z, inputSchema, bundle.inputData, labels);
  if (reward_id) {
    const reward = await findOnHub(z, bundle, rewardSchema, { path: `/v1/rewards/${encodeURIComponent(reward_id)}` });
    return reward ? [reward] : [];
  }
  if (!filters.referral_id && !filters.participant_id && !filters.campaign_id && !filters.status) {
    throw new z.errors.Error('Referral ID: enter a Reward ID, or at least one of Referral ID, Recipient Participant ID, Campaign and Status.', 'InvalidInput', 400);
  }
  const page = await callHub(z, bundle, pageOf(rewardSchema), { path: '/v1/rewards', params: { ...filters, limit: 10 } });
  return page.data;
};

export default {
  key: 'find_reward' as const,
  noun: 'Reward',
  display: {
    label: 'Find Reward',
    description: 'Finds a reward by ID, or the newest one for a referral, a recipient, a campaign or a status.',
  },
  operation: {
    perform,
    inputFields: [
      { key: 'reward_id', label: 'Reward ID', helpText: 'The reward’s ID (starts with `rwd_`). Or leave empty and filter below.' },
      { key: 'referral_id', label: 'Referral ID', helpText: 'The referred participant whose qualification earned the reward (e.g. from Referral Qualified).' },
      { key: 'participant_id', label: 'Recipient Participant ID', helpText: 'Who receives the reward.' },
      campaignInputField(false, 'Only rewards of this campaign.'),
      { key: 'status', label: 'Status', choices: [...rewardStatuses], helpText: 'Only rewards with this status, e.g. `approved` ones waiting to be issued.' },
    ],
    sample: rewardSample,
    outputFields: rewardOutputFields(),
  },
} satisfies Search;
