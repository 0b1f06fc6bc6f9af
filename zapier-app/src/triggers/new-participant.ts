import sample from '../samples/participant.created.json';
import { defineEventTrigger } from '../lib/event-trigger';
import { participantOutputFields } from '../lib/fields';

export default defineEventTrigger({
  key: 'new_participant',
  noun: 'Participant',
  label: 'New Participant',
  description: 'Triggers when someone joins a campaign, directly, through a referral or by import.',
  eventType: 'participant.created',
  sample,
  dataOutputFields: participantOutputFields('data__'),
});
