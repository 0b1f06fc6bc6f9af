import type { HubContext } from '../context';
import { createParticipant } from '../domain/participants';
import type { IdentifyAnswer, IdentifyPayload } from './payloads';
import { resolveLanding } from './landing';
import { assertOriginAllowed } from './origins';

/**
 * The snippet's identify: a visitor who landed through a referral link becomes a referred
 * participant of that link's campaign (fraud checks and all, through createParticipant). A visitor
 * without a landing is nobody's referral: nothing is written.
 */
export async function identifyVisitor(
  ctx: HubContext,
  workspaceId: string,
  payload: IdentifyPayload,
  visit: { origin: string | null; ipHash: string | null },
): Promise<IdentifyAnswer> {
  const landing = await resolveLanding(ctx.db, ctx, workspaceId, payload);
  if (!landing) return { attributed: false, created: false };
  assertOriginAllowed(visit.origin, landing.campaign);
  const { participant, created } = await createParticipant(
    ctx,
    workspaceId,
    {
      campaign_id: landing.campaign.id,
      email: payload.email,
      first_name: payload.first_name,
      last_name: payload.last_name,
      external_id: payload.external_id,
      metadata: payload.metadata,
      ...landing.attribution,
    },
    { source: 'snippet', ipHash: visit.ipHash },
  );
  return { attributed: participant.type === 'referred', created };
}
