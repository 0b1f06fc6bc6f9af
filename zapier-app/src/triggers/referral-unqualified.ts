import sample from '../samples/referral.unqualified.json';
import { defineEventTrigger } from '../lib/event-trigger';
import { participantOutputFields, referrerOutputFields } from '../lib/fields';

export default defineEventTrigger({
  key: 'referral_unqualified',
  noun: 'Referral',
  label: 'Referral Unqualified',
  description: 'Triggers when a referral is unqualified (refund, lost deal, rejected in review).',
  eventType: 'referral.unqualified',
  sample,
  dataOutputFields: [...participantOutputFields('data__'), ...referrerOutputFields('data__')],
});
