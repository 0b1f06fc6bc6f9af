import type { HubContext } from '../context';
import { recordConversionIn } from '../conversions/record';
import { findParticipant } from '../domain/participant-queries';
import { changeReferralStatus } from '../domain/qualification';
import type { CampaignRow } from '../domain/rows';
import { normalizeCode } from '../lib/codes';
import { emailKey } from '../lib/email';
import { ApiError } from '../lib/errors';
import type { InboundAnswer, InboundPayload } from './payload';

/** What applying changed: the inbound answer without its `ok`. */
export type InboundResult = Omit<InboundAnswer, 'ok'>;

/**
 * Apply one inbound qualification webhook to a campaign: qualify (or, with `qualified: false`,
 * unqualify) the referral through the one qualification path, source `inbound_webhook`. An amount
 * is kept as a conversion of the referral. `event_id` makes a retry change nothing. All of it is
 * one transaction: a refusal (unknown person, not a referral) writes nothing.
 */
export async function applyInbound(ctx: HubContext, campaign: CampaignRow, payload: InboundPayload): Promise<InboundResult> {
  const workspaceId = campaign.workspace_id;
  return ctx.db.tx(async (q) => {
    const [row] = payload.code
      ? await q.query<{ id: string }>('SELECT id FROM participants WHERE code = $1 AND campaign_id = $2', [normalizeCode(payload.code), campaign.id])
      : await q.query<{ id: string }>('SELECT id FROM participants WHERE email_key = $1 AND campaign_id = $2', [emailKey(payload.email ?? ''), campaign.id]);
    const participant = row ? await findParticipant(q, workspaceId, row.id) : null;
    if (!participant) {
      const path = payload.code ? 'code' : 'email';
      throw new ApiError('not_found', `No participant with this ${path} in campaign ${campaign.id}`, [{ path, message: `no participant with this ${path} in the campaign` }]);
    }
    if (payload.qualified && payload.amount !== undefined) {
      await recordConversionIn(
        q,
        ctx,
        participant,
        { event: payload.event ?? 'inbound', amount: payload.amount, currency: payload.currency, transaction_id: payload.event_id },
        { source: 'inbound_webhook', evaluateGoal: false },
      );
    }
    const outcome = await changeReferralStatus(q, ctx, workspaceId, { participant_id: participant.id }, payload.qualified ? 'qualified' : 'unqualified', {
      source: 'inbound_webhook',
      reason: payload.reason,
      idempotencyKey: payload.event_id ? `inbound:${campaign.id}:${payload.event_id}` : undefined,
    });
    return { changed: outcome.changed, participant_id: participant.id, referral_status: outcome.referral.referral_status };
  });
}
