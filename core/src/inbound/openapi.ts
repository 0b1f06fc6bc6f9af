import { z } from 'zod';
import type { OperationDoc } from '../http/operation-doc';
import { inboundAnswerSchema, inboundParamsSchema, inboundPayloadSchema } from './payload';
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_SECONDS } from './signature';

/** POST /hooks/inbound/{token}, served by inbound/routes.ts. */
export const inboundOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/hooks/inbound/:token',
    summary: 'Inbound webhook: qualify (or unqualify) a referral from any tool',
    description:
      'Each campaign has its own secret URL (inbound_webhook_url), for tools that can only send a webhook (no-code automations, form ' +
      'builders, your backend). Name the person by code or by email; qualified: false unqualifies (refund, lost deal). An amount is ' +
      'recorded as a conversion of the referral. event_id makes a retry change nothing. Send JSON or a urlencoded form (values as text).',
    tags: ['Inbound webhooks'],
    auth: 'none',
    params: inboundParamsSchema,
    headers: [
      {
        name: SIGNATURE_HEADER,
        schema: z.string().regex(/^t=\d+(,v1=[0-9a-f]+)+$/),
        description:
          `Required when the campaign has an inbound signing secret: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body"> with that secret, ` +
          `within ${SIGNATURE_TOLERANCE_SECONDS} s of now (the scheme of Referloop's own webhook deliveries)`,
      },
    ],
    body: { contentTypes: ['application/json', 'application/x-www-form-urlencoded'], schema: inboundPayloadSchema },
    responses: {
      200: { description: 'Applied', schema: inboundAnswerSchema },
      401: { description: `The campaign signs its inbound webhook and ${SIGNATURE_HEADER} is missing, stale or wrong` },
      404: { description: 'Unknown or rotated token; or no participant with this code or email in the campaign' },
      415: { description: 'Neither JSON nor a urlencoded form' },
    },
  },
];
