// /v1/participants – add people to a campaign (referred ones with a referrer code or click), find, update, timeline
import { z } from 'zod';
import { getParticipantByIdOrCode } from '../../../domain/participant-queries';
import { createParticipant, updateParticipant } from '../../../domain/participants';
import { PARTICIPANT_SELECT, type ParticipantView } from '../../../domain/rows';
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
import { decodeCursor, toPage } from '../../paging';
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
    summary: 'List or find participants',
    tags: ['Participants'],
    auth: 'secret',
    query: participantListQuerySchema,
    response: pageSchema(participantSchema),
    async handler({ hub, workspaceId, query }) {
      const rows = await hub.db.query<ParticipantView>(
        `${PARTICIPANT_SELECT}
         WHERE p.workspace_id = $1 AND ($2::text IS NULL OR p.campaign_id = $2) AND ($3::text IS NULL OR p.email_key = $3)
           AND ($4::text IS NULL OR p.code = $4) AND ($5::text IS NULL OR p.type = $5) AND ($6::text IS NULL OR p.referral_status = $6)
           AND ($7::text IS NULL OR p.referrer_id = $7) AND ($8::text IS NULL OR p.id < $8)
         ORDER BY p.id DESC LIMIT $9`,
        [
          workspaceId,
          query.campaign_id ?? null,
          query.email ? emailKey(query.email) : null,
          query.code ? normalizeCode(query.code) : null,
          query.type ?? null,
          query.referral_status ?? null,
          query.referrer_id ?? null,
          decodeCursor(query.cursor) ?? null,
          query.limit + 1,
        ],
      );
      return toPage(rows, query.limit, (r) => toParticipant(r, hub.links));
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
