// /v1/referrals – qualify ("qualify with code"), unqualify and review referrals
import { z } from 'zod';
import { qualifyReferral, reviewReferral, unqualifyReferral, type QualificationOutcome } from '../../../domain/qualification';
import { toParticipant, toReward } from '../../../domain/serialize';
import type { Hub } from '../../../hub';
import { qualifyRequestSchema, qualifyResultSchema, reviewRequestSchema, type QualifyResult } from '../../../schemas/referral';
import { defineRoute } from '../../route';

function toResult(hub: Hub, outcome: QualificationOutcome): QualifyResult {
  return { changed: outcome.changed, referral: toParticipant(outcome.referral, hub.links), rewards: outcome.rewards.map(toReward) };
}

const selectorHelp = 'Select the referral by code, by participant_id, or by email + campaign_id.';

export const referralRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/referrals/qualify',
    summary: 'Qualify a referral (qualify with code)',
    description: `${selectorHelp} A referral is qualified at most once: a repeat answers the current state with changed=false. Rewards earned are created in the same transaction.`,
    tags: ['Referrals'],
    auth: 'secret',
    body: qualifyRequestSchema,
    response: qualifyResultSchema,
    notes: { 404: 'No such code, participant or email', 409: 'The participant was not referred (code not_referred)' },
    async handler({ hub, workspaceId, body }) {
      const { reason, source, idempotency_key, ...selector } = body;
      return toResult(hub, await qualifyReferral(hub, workspaceId, selector, { source: source ?? (selector.code ? 'code' : 'api'), reason, idempotencyKey: idempotency_key }));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/referrals/unqualify',
    summary: 'Unqualify a referral (refund, lost deal)',
    description: `${selectorHelp} The referral becomes unqualified and the rewards it earned that are not issued yet are declined.`,
    tags: ['Referrals'],
    auth: 'secret',
    body: qualifyRequestSchema,
    response: qualifyResultSchema,
    async handler({ hub, workspaceId, body }) {
      const { reason, source, idempotency_key, ...selector } = body;
      return toResult(hub, await unqualifyReferral(hub, workspaceId, selector, { source: source ?? 'api', reason, idempotencyKey: idempotency_key }));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/referrals/:id/review',
    summary: 'Approve or reject a flagged referral',
    tags: ['Referrals'],
    auth: 'secret',
    params: z.object({ id: z.string().min(1) }),
    body: reviewRequestSchema,
    response: qualifyResultSchema,
    async handler({ hub, workspaceId, params, body }) {
      return toResult(hub, await reviewReferral(hub, workspaceId, params.id, body.decision, body.reason));
    },
  }),
];
