import type { OperationDoc } from '../http/operation-doc';
import { identifyAnswerSchema, identifyPayloadSchema, trackAnswerSchema, trackPayloadSchema, trackingQuerySchema } from './payloads';
import { TRACKING_RATE_LIMIT } from './routes';

// The snippet posts text/plain so that browsers send no preflight; the handler reads any type as JSON text.
const contentTypes = ['text/plain', 'application/json'];
const shared: Pick<OperationDoc, 'tags' | 'auth' | 'query'> = { tags: ['Tracking snippet'], auth: 'publishable', query: trackingQuerySchema };
const refusals = {
  401: { description: 'No publishable key, or one that is not valid' },
  403: { description: 'A secret key was sent (it must never be in a page), or the page’s origin is not allowed by the campaign' },
  429: { description: `More than ${TRACKING_RATE_LIMIT} requests a minute from one address; Retry-After says when to try again` },
};

/** POST /t/v1/identify and /t/v1/track, served by tracking/routes.ts. */
export const trackingOperations: OperationDoc[] = [
  {
    ...shared,
    method: 'post',
    path: '/t/v1/identify',
    summary: 'Snippet: the visitor told the site who they are',
    description:
      'Sent by referloop("identify", …) in the page. A visitor who landed through a referral link (ref / rl_click, or the rl_ref cookie) ' +
      'becomes a referred participant of that link’s campaign; without a landing nothing is written. The origin must be one the campaign allows.',
    body: { contentTypes, schema: identifyPayloadSchema },
    responses: { 200: { description: 'Identified', schema: identifyAnswerSchema }, ...refusals },
  },
  {
    ...shared,
    method: 'post',
    path: '/t/v1/track',
    summary: 'Snippet: record a conversion seen in the browser',
    description:
      'Sent by referloop("track", …). Deduped on transaction_id (else email + event); qualifies the visitor’s referral when the event is the campaign’s goal. ' +
      'Amounts are integer minor units, as in POST /v1/conversions.',
    body: { contentTypes, schema: trackPayloadSchema },
    responses: {
      201: { description: 'Recorded', schema: trackAnswerSchema },
      200: { description: 'Already recorded (duplicate: true)', schema: trackAnswerSchema },
      ...refusals,
    },
  },
];
