import type { Bundle, Create, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { rewardOutputFields } from '../lib/fields';
import { optionalText, parseInput, text } from '../lib/input';
import { reasonInputField, rewardInputField } from '../lib/inputs';
import { moveReward } from '../lib/reward-action';
import { approvedRewardSample } from '../lib/samples';

const inputSchema = zod.object({ reward_id: text(), reason: optionalText() });
const labels = { reward_id: 'Reward', reason: 'Reason' };

const perform = async (z: ZObject, bundle: Bundle) => {
  const { reward_id, reason } = parseInput(z, inputSchema, bundle.inputData, labels);
  return moveReward(z, bundle, reward_id, 'approve', { reason });
};

export default {
  key: 'approve_reward' as const,
  noun: 'Reward',
  display: {
    label: 'Approve Reward',
    description: 'Approves a pending reward (campaigns with manual review), so it can be issued.',
  },
  operation: {
    perform,
    inputFields: [rewardInputField, reasonInputField],
    sample: approvedRewardSample,
    outputFields: rewardOutputFields(),
  },
} satisfies Create;
