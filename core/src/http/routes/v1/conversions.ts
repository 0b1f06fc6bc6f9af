// /v1/conversions – track business events (deduped; a campaign goal qualifies the referral) and list them
import { z } from 'zod';
import { toConversion, type ConversionRow } from '../../../conversions/serialize';
import { trackConversion } from '../../../conversions/track';
import { notFound } from '../../../lib/errors';
import { pageSchema } from '../../../schemas/common';
import { conversionListQuerySchema, conversionSchema, createConversionSchema } from '../../../schemas/conversion';
import { decodeCursor, toPage } from '../../paging';
import { defineRoute, reply } from '../../route';

export const conversionRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/conversions',
    summary: 'Track a conversion',
    description:
      'Records a business event of a participant, found by email, code, click_id or participant_id. Deduped on transaction_id per ' +
      'workspace, else on the person and event name: a repeat answers the first conversion with status 200. When the event meets ' +
      "the campaign's goal, a pending referral is qualified (source conversion) in the same transaction.",
    tags: ['Conversions'],
    auth: 'secret',
    body: createConversionSchema,
    response: conversionSchema,
    status: 201,
    notes: { 200: 'A repeat (same transaction_id, or same person and event): the first conversion, unchanged', 404: 'Nobody matches the email, code, click or id' },
    async handler({ hub, workspaceId, body }) {
      const { conversion, duplicate } = await trackConversion(hub, workspaceId, body);
      return reply(duplicate ? 200 : 201, toConversion(conversion));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/conversions',
    summary: 'List conversions, newest first',
    tags: ['Conversions'],
    auth: 'secret',
    query: conversionListQuerySchema,
    response: pageSchema(conversionSchema),
    async handler({ hub, workspaceId, query }) {
      const rows = await hub.db.query<ConversionRow>(
        `SELECT * FROM conversions WHERE workspace_id = $1 AND ($2::text IS NULL OR campaign_id = $2) AND ($3::text IS NULL OR participant_id = $3)
           AND ($4::text IS NULL OR lower(event) = lower($4)) AND ($5::text IS NULL OR id < $5)
         ORDER BY id DESC LIMIT $6`,
        [workspaceId, query.campaign_id ?? null, query.participant_id ?? null, query.event ?? null, decodeCursor(query.cursor) ?? null, query.limit + 1],
      );
      return toPage(rows, query.limit, toConversion);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/conversions/:id',
    summary: 'Get a conversion',
    tags: ['Conversions'],
    auth: 'secret',
    params: z.object({ id: z.string().min(1) }),
    response: conversionSchema,
    async handler({ hub, workspaceId, params }) {
      const [row] = await hub.db.query<ConversionRow>('SELECT * FROM conversions WHERE id = $1 AND workspace_id = $2', [params.id, workspaceId]);
      if (!row) throw notFound('conversion', params.id);
      return toConversion(row);
    },
  }),
];
