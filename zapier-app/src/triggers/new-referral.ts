import sample from '../samples/referral.created.json';
import { defineEventTrigger } from '../lib/event-trigger';
import { participantOutputFields, referrerOutputFields } from '../lib/fields';

export default defineEventTrigger({
  key: 'new_referral',
  noun: 'Referral',
  label: 'New Referral',
  description: 'Triggers when someone signs up through a participant’s link or code (a referred sign-up).',
  eventType: 'referral.created',
  sample,
  dataOutputFields: [...participantOutputFields('data__'), ...referrerOutputFields('data__')],
});
