import { vendorSchema } from '@referloop/connectors';
import { z } from 'zod';
import type { OperationDoc } from '../http/operation-doc';

/** The path of a vendor hook: the vendor and the integration's secret inbound token. */
export const vendorHookParamsSchema = z.object({
  vendor: vendorSchema,
  token: z.string().min(1).meta({ description: 'The integration’s inbound token, from its inbound_url' }),
});

/** The answer to a verified delivery: its events are stored now and applied by a job. */
export const vendorHookReceiptSchema = z.object({
  received: z.number().int().min(0).meta({ description: 'Events the delivery carried that Referloop acts on' }),
  stored: z.number().int().min(0).meta({ description: 'New events, each applied once by a background job' }),
  duplicates: z.number().int().min(0).meta({ description: 'Events already received before (the vendor retried)' }),
});
export type VendorHookReceipt = z.infer<typeof vendorHookReceiptSchema>;

/** POST /hooks/{vendor}/{token}, served by integrations/inbound.ts. */
export const vendorHookOperations: OperationDoc[] = [
  {
    method: 'post',
    path: '/hooks/:vendor/:token',
    summary: 'Vendor webhook: deal stages, lifecycle changes, payments and refunds from a connected CRM or Stripe',
    description:
      'Where a connected vendor sends its own webhooks (the integration’s inbound_url); registered through the vendor’s API when it ' +
      'allows, else set by hand. The body is the vendor’s documented delivery, verified by the vendor’s own scheme before anything is ' +
      'stored: Pipedrive webhooks v2 with HTTP basic auth, HubSpot v3 signatures (X-HubSpot-Signature-v3) or a workflow secret header, ' +
      'Stripe-Signature. Salesforce changes arrive through Change Data Capture or polling, never here.',
    tags: ['Integrations'],
    auth: 'none',
    params: vendorHookParamsSchema,
    body: { contentTypes: ['application/json'], description: 'The vendor’s own webhook payload, read as raw bytes for its signature' },
    responses: {
      200: { description: 'Verified and stored', schema: vendorHookReceiptSchema },
      400: { description: 'Stripe-Signature missing' },
      401: { description: 'The delivery could not be verified (signature, basic auth), nothing stored' },
      403: { description: 'This vendor does not deliver webhooks here' },
      404: { description: 'No integration of this vendor receives at this URL' },
    },
  },
];
