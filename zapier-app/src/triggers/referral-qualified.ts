import sample from '../samples/referral.qualified.json';
import { defineEventTrigger } from '../lib/event-trigger';
import { participantOutputFields, referrerOutputFields } from '../lib/fields';

export default defineEventTrigger({
  key: 'referral_qualified',
  noun: 'Referral',
  label: 'Referral Qualified',
  description: 'Triggers when a referral is qualified (the business outcome happened) and its rewards are due.',
  eventType: 'referral.qualified',
  sample,
  dataOutputFields: [...participantOutputFields('data__'), ...referrerOutputFields('data__')],
});
