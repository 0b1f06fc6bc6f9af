import sample from '../samples/reward.issued.json';
import { defineEventTrigger } from '../lib/event-trigger';
import { rewardOutputFields, referrerOutputFields } from '../lib/fields';

export default defineEventTrigger({
  key: 'reward_issued',
  noun: 'Reward',
  label: 'Reward Issued',
  description: 'Triggers when a reward is marked as issued (paid out, credited or sent).',
  eventType: 'reward.issued',
  sample,
  dataOutputFields: [...rewardOutputFields('data__'), ...referrerOutputFields('data__')],
});
