// /v1/webhooks – outbound subscriptions (REST hooks for Zapier, Make and n8n), their delivery log and redelivery
import { z } from 'zod';
import { pageQuerySchema, pageSchema } from '../../../schemas/common';
import { createEndpoint, deleteEndpoint, getEndpoint, redeliver, updateEndpoint } from '../../../webhooks/endpoints';
import type { WebhookDeliveryRow, WebhookEndpointRow } from '../../../webhooks/rows';
import {
  createdWebhookSchema,
  createWebhookSchema,
  deliveryListQuerySchema,
  updateWebhookSchema,
  webhookDeliverySchema,
  webhookEndpointSchema,
} from '../../../webhooks/schemas';
import { toWebhookDelivery, toWebhookEndpoint } from '../../../webhooks/serialize';
import { decodeCursor, toPage } from '../../paging';
import { defineRoute, reply } from '../../route';

const idParams = z.object({ id: z.string().min(1) });
const signingNote =
  'Each delivery is a POST of the event envelope with headers Referloop-Event-Id, Referloop-Event-Type and ' +
  'Referloop-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body" with the secret>. Any 2xx is success; other answers are ' +
  'retried with exponential backoff for about 3 days. 410 Gone disables the endpoint at once, 20 failures in a row too.';

export const webhookRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/webhooks',
    summary: 'Subscribe a URL to events',
    description: `Returns the endpoint with its signing secret (shown only here). ${signingNote}`,
    tags: ['Webhooks'],
    auth: 'secret',
    body: createWebhookSchema,
    response: createdWebhookSchema,
    status: 201,
    notes: { 400: 'Invalid body, or a URL that resolves to a loopback, private or link-local address' },
    async handler({ hub, workspaceId, body }) {
      const row = await createEndpoint(hub, workspaceId, body);
      return reply(201, { ...toWebhookEndpoint(row), secret: row.secret });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhooks',
    summary: 'List webhook endpoints, newest first',
    tags: ['Webhooks'],
    auth: 'secret',
    query: pageQuerySchema,
    response: pageSchema(webhookEndpointSchema),
    async handler({ hub, workspaceId, query }) {
      const rows = await hub.db.query<WebhookEndpointRow>(
        'SELECT * FROM webhook_endpoints WHERE workspace_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3',
        [workspaceId, decodeCursor(query.cursor) ?? null, query.limit + 1],
      );
      return toPage(rows, query.limit, toWebhookEndpoint);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhooks/:id',
    summary: 'Get a webhook endpoint',
    tags: ['Webhooks'],
    auth: 'secret',
    params: idParams,
    response: webhookEndpointSchema,
    async handler({ hub, workspaceId, params }) {
      return toWebhookEndpoint(await getEndpoint(hub, workspaceId, params.id));
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/webhooks/:id',
    summary: 'Change a webhook endpoint (url, events, description) or enable/disable it',
    tags: ['Webhooks'],
    auth: 'secret',
    params: idParams,
    body: updateWebhookSchema,
    response: webhookEndpointSchema,
    async handler({ hub, workspaceId, params, body }) {
      return toWebhookEndpoint(await updateEndpoint(hub, workspaceId, params.id, body));
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/webhooks/:id',
    summary: 'Unsubscribe: delete a webhook endpoint',
    description: 'The REST-hook unsubscribe. Deliveries not yet made are dropped.',
    tags: ['Webhooks'],
    auth: 'secret',
    params: idParams,
    status: 204,
    async handler({ hub, workspaceId, params }) {
      await deleteEndpoint(hub, workspaceId, params.id);
      return reply(204);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/webhooks/:id/deliveries',
    summary: 'The delivery log of an endpoint, newest first',
    tags: ['Webhooks'],
    auth: 'secret',
    params: idParams,
    query: deliveryListQuerySchema,
    response: pageSchema(webhookDeliverySchema),
    async handler({ hub, workspaceId, params, query }) {
      await getEndpoint(hub, workspaceId, params.id);
      const rows = await hub.db.query<WebhookDeliveryRow>(
        `SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 AND workspace_id = $2 AND ($3::text IS NULL OR status = $3)
           AND ($4::text IS NULL OR id < $4) ORDER BY id DESC LIMIT $5`,
        [params.id, workspaceId, query.status ?? null, decodeCursor(query.cursor) ?? null, query.limit + 1],
      );
      return toPage(rows, query.limit, toWebhookDelivery);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/webhooks/:id/deliveries/:delivery_id/retry',
    summary: 'Deliver an event again',
    description: 'Creates a new delivery of the same event (same Referloop-Event-Id) and sends it now.',
    tags: ['Webhooks'],
    auth: 'secret',
    params: z.object({ id: z.string().min(1), delivery_id: z.string().min(1) }),
    response: webhookDeliverySchema,
    status: 202,
    notes: { 409: 'The endpoint is disabled' },
    async handler({ hub, workspaceId, params }) {
      return reply(202, toWebhookDelivery(await redeliver(hub, workspaceId, params.id, params.delivery_id)));
    },
  }),
];
