import sample from '../samples/conversion.tracked.json';
import { defineEventTrigger } from '../lib/event-trigger';
import { conversionOutputFields, referrerOutputFields } from '../lib/fields';

export default defineEventTrigger({
  key: 'conversion_tracked',
  noun: 'Conversion',
  label: 'Conversion Tracked',
  description: 'Triggers when a purchase or other business event is recorded for a participant.',
  eventType: 'conversion.tracked',
  sample,
  dataOutputFields: [...conversionOutputFields('data__'), ...referrerOutputFields('data__')],
});
