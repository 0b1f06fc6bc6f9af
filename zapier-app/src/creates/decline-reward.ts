import type { Bundle, Create, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { rewardOutputFields } from '../lib/fields';
import { optionalText, parseInput, text } from '../lib/input';
import { reasonInputField, rewardInputField } from '../lib/inputs';
import { moveReward } from '../lib/reward-action';
import { declinedRewardSample } from '../lib/samples';

const inputSchema = zod.object({ reward_id: text(), reason: optionalText() });
const labels = { reward_id: 'Reward', reason: 'Reason' };

const perform = async (z: ZObject, bundle: Bundle) => {
  const { reward_id, reason } = parseInput(z, inputSchema, bundle.inputData, labels);
  return moveReward(z, bundle, reward_id, 'decline', { reason });
};

export default {
  key: 'decline_reward' as const,
  noun: 'Reward',
  display: {
    label: 'Decline Reward',
    description: 'Declines a reward that has not been issued (e.g. after a fraud check): it will not be paid out.',
  },
  operation: {
    perform,
    inputFields: [rewardInputField, { ...reasonInputField, helpText: 'Why it is declined (kept on the reward, e.g. "Refunded order").' }],
    sample: declinedRewardSample,
    outputFields: rewardOutputFields(),
  },
} satisfies Create;
