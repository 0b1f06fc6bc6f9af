// POST /v1/participation-events – record that a participant copied or shared their link (feeds the "sharers" stat)
import { getParticipantByIdOrCode } from '../../../domain/participant-queries';
import { ApiError } from '../../../lib/errors';
import { participationEventResponseSchema, participationEventSchema, recordParticipation } from '../../../pages/participation';
import { findByShareToken } from '../../../pages/share-data';
import { defineRoute } from '../../route';

export const participationRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/participation-events',
    summary: 'Record a copy or share of a referral link',
    description:
      'For share widgets you build yourself: link_copied, or link_shared with its channel, for the participant named by the token ' +
      'of its share_url or by participant_id (id or code). Either kind counts the participant among the campaign stats\u2019 sharers. ' +
      'A share token of another workspace is a 404.',
    tags: ['Participants'],
    auth: 'secret',
    body: participationEventSchema,
    response: participationEventResponseSchema,
    status: 201,
    async handler({ hub, workspaceId, body }) {
      const participant =
        body.share_token !== undefined
          ? await findByShareToken(hub.db, body.share_token, workspaceId)
          : await getParticipantByIdOrCode(hub.db, workspaceId, body.participant_id ?? '');
      if (!participant) throw new ApiError('not_found', 'No participant with this share token in this workspace', [{ path: 'share_token', message: 'unknown share token' }]);
      return recordParticipation(hub.db, hub, participant, body, 'api');
    },
  }),
];
