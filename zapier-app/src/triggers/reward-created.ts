import sample from '../samples/reward.created.json';
import { defineEventTrigger } from '../lib/event-trigger';
import { rewardOutputFields, referrerOutputFields } from '../lib/fields';

export default defineEventTrigger({
  key: 'reward_created',
  noun: 'Reward',
  label: 'Reward Created',
  description: 'Triggers when a reward becomes due to a referrer or friend (pending approval, on hold or approved).',
  eventType: 'reward.created',
  sample,
  dataOutputFields: [...rewardOutputFields('data__'), ...referrerOutputFields('data__')],
});
