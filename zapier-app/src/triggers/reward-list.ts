import type { Bundle, Trigger, ZObject } from 'zapier-platform-core';
import { formatMinorUnits } from '../lib/money';
import { dropdownPage } from '../lib/paging';
import { rewardSchema, type Reward } from '../lib/resources';

/** "$10.00 credit for the referrer (pending)": enough to pick the right reward from a dropdown. */
function describeReward(reward: Reward): string {
  const value =
    reward.amount !== null && reward.currency
      ? `${formatMinorUnits(reward.amount, reward.currency)} ${reward.kind}`
      : reward.percent_off !== null
        ? `${reward.percent_off}% off ${reward.kind}`
        : (reward.description ?? reward.kind);
  const recipient = typeof reward.recipient === 'string' ? ` for the ${reward.recipient}` : '';
  return `${value}${recipient} (${reward.status}, ${reward.id})`;
}

/** Powers the Reward dropdowns: newest rewards first, labelled with value, recipient and status. */
const perform = async (z: ZObject, bundle: Bundle) => {
  const items = await dropdownPage(z, bundle, rewardSchema, '/v1/rewards');
  return items.map((reward) => ({ ...reward, label: describeReward(reward) }));
};

export default {
  key: 'reward_list' as const,
  noun: 'Reward',
  display: { label: 'List Rewards', description: 'Lists recent rewards for dropdowns.', hidden: true },
  operation: {
    type: 'polling',
    perform,
    sample: { id: 'rwd_01jd0000000000000000000000', label: '$10.00 credit for the referrer (pending, rwd_01jd0000000000000000000000)' },
    outputFields: [
      { key: 'id', label: 'Reward ID' },
      { key: 'label', label: 'Reward' },
    ],
  },
} satisfies Trigger;
