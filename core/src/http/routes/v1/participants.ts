// /v1/participants – add people to a campaign (referred ones with a referrer code or click), find, update, timeline
import { z } from 'zod';
import { listParticipants } from '../../../domain/participant-list';
import { getParticipantByIdOrCode } from '../../../domain/participant-queries';
import { decodeParticipantCursor, encodeParticipantCursor } from '../../../domain/participant-sort';
import { createParticipant, updateParticipant } from '../../../domain/participants';
import { toParticipant } from '../../../domain/serialize';
import { participantTimeline } from '../../../domain/timeline';
import { emailKey } from '../../../lib/email';
import { hashIp } from '../../../lib/ip';
import { normalizeCode } from '../../../lib/codes';
import { pageSchema } from '../../../schemas/common';
import {
  createParticipantSchema,
  participantListQuerySchema,
  participantSchema,
  timelineEntrySchema,
  updateParticipantSchema,
} from '../../../schemas/participant';
import { defineRoute, reply } from '../../route';

const idParams = z.object({ id: z.string().min(1) });

export const participantRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/participants',
    summary: 'Add a participant',
    description:
      'Creates a participant with a unique code and referral link. With referrer_code (or a click_id inside the attribution window) ' +
      'the participant is referred, with referral_status pending (or flagged by a fraud check). The same email in a campaign ' +
      'returns the existing participant with status 200.',
    tags: ['Participants'],
    auth: 'secret',
    body: createParticipantSchema,
    response: participantSchema,
    status: 201,
    notes: { 200: 'A participant with this email already exists in the campaign; it is returned unchanged' },
    async handler({ hub, workspaceId, body }) {
      const { participant, created } = await createParticipant(hub, workspaceId, body, {
        source: 'api',
        ipHash: hashIp(hub.ipSalt, body.ip_address),
      });
      return reply(created ? 201 : 200, toParticipant(participant, hub.links));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/participants',
    summary: 'List, find, search and sort participants',
    description:
      'Filters combine. q searches the email, name and code, and the referrer\'s code and email. ' +
      'Pages follow the sort; a next_cursor is valid only with the sort (and filters) it was made with.',
    tags: ['Participants'],
    auth: 'secret',
    query: participantListQuerySchema,
    response: pageSchema(participantSchema),
    async handler({ hub, workspaceId, query }) {
      const rows = await listParticipants(hub.db, workspaceId, {
        campaignId: query.campaign_id,
        emailKey: query.email ? emailKey(query.email) : undefined,
        code: query.code ? normalizeCode(query.code) : undefined,
        type: query.type,
        referralStatus: query.referral_status,
        referrerId: query.referrer_id,
        search: query.q,
        sort: query.sort,
        after: decodeParticipantCursor(query.cursor, query.sort),
        limit: query.limit,
      });
      const more = rows.length > query.limit;
      const page = more ? rows.slice(0, query.limit) : rows;
      return {
        data: page.map((r) => toParticipant(r, hub.links)),
        next_cursor: more ? encodeParticipantCursor(query.sort, page[page.length - 1].id) : null,
      };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/participants/:id',
    summary: 'Get a participant by id or referral code',
    tags: ['Participants'],
    auth: 'secret',
    params: idParams,
    response: participantSchema,
    async handler({ hub, workspaceId, params }) {
      return toParticipant(await getParticipantByIdOrCode(hub.db, workspaceId, params.id), hub.links);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/participants/:id',
    summary: 'Update a participant',
    tags: ['Participants'],
    auth: 'secret',
    params: idParams,
    body: updateParticipantSchema,
    response: participantSchema,
    async handler({ hub, workspaceId, params, body }) {
      const current = await getParticipantByIdOrCode(hub.db, workspaceId, params.id);
      const row = await hub.db.tx((q) => updateParticipant(q, hub, workspaceId, current.id, body));
      return toParticipant(row, hub.links);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/participants/:id/timeline',
    summary: 'Everything that touched this participant, oldest first',
    tags: ['Participants'],
    auth: 'secret',
    params: idParams,
    response: z.object({ data: z.array(timelineEntrySchema) }),
    async handler({ hub, workspaceId, params }) {
      const p = await getParticipantByIdOrCode(hub.db, workspaceId, params.id);
      return { data: await participantTimeline(hub.db, workspaceId, p.id) };
    },
  }),
];
