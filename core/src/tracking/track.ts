import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { recordConversionIn, type RecordedConversion } from '../conversions/record';
import { findByEmail, resolveConverter } from '../conversions/resolve';
import { getCampaign } from '../domain/campaigns';
import { createParticipantIn } from '../domain/participants';
import type { ParticipantView } from '../domain/rows';
import { ApiError, invalidField } from '../lib/errors';
import { resolveLanding } from './landing';
import { assertOriginAllowed } from './origins';
import type { TrackPayload } from './payloads';

/**
 * The snippet's track. Who converted: the participant with this email (in the landing's campaign
 * when the visitor came through a link); a visitor who came through a link and was never
 * identified becomes the referred participant first. Without an email, the participant who signed
 * up through the remembered click. The origin is checked against that participant's campaign
 * before anything is written; the conversion then takes the same path as `POST /v1/conversions`.
 */
export async function trackFromSnippet(
  ctx: HubContext,
  workspaceId: string,
  payload: TrackPayload,
  visit: { origin: string | null; ipHash: string | null },
): Promise<RecordedConversion> {
  const { email, campaign_id, ref, rl_click, event, amount, currency, transaction_id, metadata } = payload;
  return ctx.db.tx(async (q) => {
    const participant = email
      ? await participantByEmail(q, ctx, workspaceId, { email, campaign_id, ref, rl_click }, visit)
      : await resolveConverter(q, workspaceId, { click_id: rl_click });
    assertOriginAllowed(visit.origin, await getCampaign(q, workspaceId, participant.campaign_id));
    return recordConversionIn(q, ctx, participant, { event, amount, currency, transaction_id, metadata }, { source: 'snippet' });
  });
}

async function participantByEmail(
  q: Queryable,
  ctx: HubContext,
  workspaceId: string,
  who: { email: string; campaign_id?: string; ref?: string; rl_click?: string },
  visit: { origin: string | null; ipHash: string | null },
): Promise<ParticipantView> {
  const landing = who.ref || who.rl_click ? await resolveLanding(q, ctx, workspaceId, who) : null;
  const campaignId = who.campaign_id ?? landing?.campaign.id;
  const found = await findByEmail(q, workspaceId, who.email, campaignId);
  if (found === 'ambiguous') throw invalidField('campaign_id', `is required: ${who.email} is a participant of several campaigns`);
  if (found) return found;
  if (!landing || (who.campaign_id && who.campaign_id !== landing.campaign.id)) {
    throw new ApiError('not_found', `No participant with email ${who.email}; identify the visitor first`, [{ path: 'email', message: 'no participant with this email' }]);
  }
  // Checked here too: the participant is created before the caller's own check.
  assertOriginAllowed(visit.origin, landing.campaign);
  const { participant } = await createParticipantIn(
    q,
    ctx,
    workspaceId,
    { campaign_id: landing.campaign.id, email: who.email, ...landing.attribution },
    { source: 'snippet', ipHash: visit.ipHash },
  );
  return participant;
}
