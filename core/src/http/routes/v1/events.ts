// GET /v1/events – the polling feed: the same envelopes webhooks deliver, newest first
import { anyEventEnvelopeSchema } from '../../../events/schemas';
import { eventFeedQuerySchema, listEvents } from '../../../events/feed';
import { pageSchema } from '../../../schemas/common';
import { decodeCursor } from '../../paging';
import { defineRoute } from '../../route';

export const eventRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/events',
    summary: 'List events (polling triggers)',
    description:
      'The envelopes webhooks deliver ({id, type, created_at, workspace_id, campaign_id, data}), newest first. Filter by type ' +
      '(comma-separated) and campaign_id. Pollers pass the last id they saw as `after` to get only newer events; an event ' +
      'appears once every transaction older than its own has finished, so none is skipped.',
    tags: ['Events'],
    auth: 'secret',
    query: eventFeedQuerySchema,
    response: pageSchema(anyEventEnvelopeSchema),
    async handler({ hub, workspaceId, query }) {
      return listEvents(hub.db, workspaceId, query, decodeCursor(query.cursor));
    },
  }),
];
