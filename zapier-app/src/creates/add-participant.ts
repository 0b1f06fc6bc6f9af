import type { Bundle, Create, ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';
import { parseHubAnswer, sendToHub } from '../lib/hub';
import { optionalDict, optionalText, parseInput, text } from '../lib/input';
import { campaignInputField } from '../lib/inputs';
import { participantOutputFields } from '../lib/fields';
import { participantSchema } from '../lib/resources';

const inputSchema = zod.object({
  campaign_id: text(),
  email: text(),
  first_name: optionalText(),
  last_name: optionalText(),
  external_id: optionalText(),
  referrer_code: optionalText(),
  click_id: optionalText(),
  metadata: optionalDict(),
});
const labels = {
  campaign_id: 'Campaign',
  email: 'Email',
  first_name: 'First Name',
  last_name: 'Last Name',
  external_id: 'External ID',
  referrer_code: 'Referrer Code',
  click_id: 'Click ID',
  metadata: 'Metadata',
};

/** POST /v1/participants: 201 for a new participant, 200 with the existing one for a known email. */
const perform = async (z: ZObject, bundle: Bundle) => {
  const input = parseInput(z, inputSchema, bundle.inputData, labels);
  const call = { method: 'POST' as const, path: '/v1/participants', body: input };
  const response = await sendToHub(z, bundle, call);
  const participant = parseHubAnswer(z, participantSchema, response.data, call);
  return { ...participant, created: response.status === 201 };
};

export default {
  key: 'add_participant' as const,
  noun: 'Participant',
  display: {
    label: 'Add Participant',
    description:
      'Adds a person to a campaign and returns their referral link. With a referrer code it records a referred sign-up; a known email returns the existing participant.',
  },
  operation: {
    perform,
    inputFields: [
      campaignInputField(true, 'The campaign to add the person to.'),
      { key: 'email', label: 'Email', required: true, helpText: 'The person’s email address. Adding a known email again returns the existing participant.' },
      { key: 'first_name', label: 'First Name' },
      { key: 'last_name', label: 'Last Name' },
      {
        key: 'referrer_code',
        label: 'Referrer Code',
        helpText: 'The code of whoever referred this person (e.g. the `ref` from the sign-up URL). Makes this a referred sign-up, i.e. a referral.',
      },
      { key: 'click_id', label: 'Click ID', helpText: 'The `rl_click` value from the landing page URL or cookie, to attribute the sign-up to a click.' },
      { key: 'external_id', label: 'External ID', helpText: 'Your own id for this person, e.g. the CRM contact or app user id.' },
      { key: 'metadata', label: 'Metadata', dict: true, helpText: 'Your own key/value data, returned as given (up to 50 keys).' },
    ],
    sample: {
      id: 'par_01jd0000000000000000000001',
      object: 'participant',
      campaign_id: 'cmp_01jd0000000000000000000000',
      type: 'referred',
      email: 'friend@example.com',
      first_name: 'Fran',
      last_name: 'Friend',
      name: 'Fran Friend',
      external_id: null,
      code: 'FRAN1234',
      referral_link: 'https://referloop.example.com/r/FRAN1234',
      qr_url: 'https://referloop.example.com/qr/FRAN1234.svg',
      share_url: 'https://referloop.example.com/s/3f9c2a',
      referrer_id: 'par_01jd0000000000000000000000',
      referrer_code: 'ANNA5678',
      referral_status: 'pending',
      flag_reasons: null,
      channel: null,
      click_id: null,
      people_referred: 0,
      qualified_count: 0,
      crm: {},
      metadata: {},
      qualified_at: null,
      created_at: '2026-11-22T10:00:00.000Z',
      updated_at: '2026-11-22T10:00:00.000Z',
      test_mode: false,
      created: true,
    },
    outputFields: [...participantOutputFields(), { key: 'created', label: 'Newly Added', type: 'boolean' }],
  },
} satisfies Create;
