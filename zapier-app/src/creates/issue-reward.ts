import type { Bundle, Create, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { rewardOutputFields } from '../lib/fields';
import { optionalText, parseInput, text } from '../lib/input';
import { reasonInputField, rewardInputField } from '../lib/inputs';
import { moveReward } from '../lib/reward-action';
import { issuedRewardSample } from '../lib/samples';

const inputSchema = zod.object({ reward_id: text(), external_id: optionalText(), reward_code: optionalText(), reason: optionalText() });
const labels = { reward_id: 'Reward', external_id: 'External ID', reward_code: 'Reward Code', reason: 'Reason' };

/** Record that the reward was handed out elsewhere (a payout, a store credit, a coupon). */
const perform = async (z: ZObject, bundle: Bundle) => {
  const { reward_id, ...body } = parseInput(z, inputSchema, bundle.inputData, labels);
  return moveReward(z, bundle, reward_id, 'issue', body);
};

export default {
  key: 'issue_reward' as const,
  noun: 'Reward',
  display: {
    label: 'Mark Reward Issued',
    description: 'Marks an approved reward as issued after you paid it out or sent it, with the payout id or coupon code for the record.',
  },
  operation: {
    perform,
    inputFields: [
      rewardInputField,
      { key: 'external_id', label: 'External ID', helpText: 'The id of the payout, credit or gift card in your system.' },
      { key: 'reward_code', label: 'Reward Code', helpText: 'The coupon or gift code handed out, if any.' },
      reasonInputField,
    ],
    sample: issuedRewardSample,
    outputFields: rewardOutputFields(),
  },
} satisfies Create;
