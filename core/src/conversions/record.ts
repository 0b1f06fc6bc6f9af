import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { readCampaignSettings } from '../domain/campaign-settings';
import { getCampaign } from '../domain/campaigns';
import { findParticipant } from '../domain/participant-queries';
import { changeReferralStatus, type QualificationOutcome } from '../domain/qualification';
import type { ParticipantView } from '../domain/rows';
import { toReferrerSummary } from '../domain/serialize';
import { emitEvent } from '../events/emit';
import { newId } from '../lib/ids';
import type { ConversionSource } from '../schemas/conversion';
import { meetsGoal } from './goal';
import { toConversion, type ConversionRow } from './serialize';

/** The conversion itself, whoever it belongs to. */
export interface ConversionDetails {
  event: string;
  amount?: number;
  currency?: string;
  transaction_id?: string;
  metadata?: Record<string, unknown>;
}

export interface RecordOptions {
  source: ConversionSource;
  /**
   * Let the campaign goal qualify the referral (default). The inbound webhook turns it off: it
   * qualifies by itself, under its own source.
   */
  evaluateGoal?: boolean;
}

export interface RecordedConversion {
  conversion: ConversionRow;
  /** True when this is a repeat: the first conversion with the same dedupe key is returned. */
  duplicate: boolean;
  /** The qualification the campaign goal caused, when it caused one. */
  qualification: QualificationOutcome | null;
}

/**
 * The dedupe key: the transaction id (per workspace) when there is one, else the person and the
 * event name — "the same email tracked `download` twice" is one conversion.
 */
export function conversionDedupeKey(participant: ParticipantView, details: ConversionDetails): string {
  return details.transaction_id !== undefined ? `txn:${details.transaction_id}` : `evt:${participant.id}:${details.event.trim().toLowerCase()}`;
}

/**
 * Record a conversion of a participant inside the caller's transaction. The dedupe key is written
 * with the conversion (and with the qualification it triggers), so a retried request either sees
 * the first conversion or does everything once.
 */
export async function recordConversionIn(
  q: Queryable,
  ctx: HubContext,
  participant: ParticipantView,
  details: ConversionDetails,
  opts: RecordOptions,
): Promise<RecordedConversion> {
  const workspaceId = participant.workspace_id;
  const dedupeKey = conversionDedupeKey(participant, details);
  const inserted = await q.query<ConversionRow>(
    `INSERT INTO conversions (id, workspace_id, campaign_id, participant_id, event, amount, currency, transaction_id, dedupe_key,
       source, metadata, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11::jsonb,$12)
     ON CONFLICT (workspace_id, dedupe_key) DO NOTHING RETURNING *`,
    [
      newId('conversion'),
      workspaceId,
      participant.campaign_id,
      participant.id,
      details.event.trim(),
      details.amount ?? null,
      details.currency ?? null,
      details.transaction_id ?? null,
      dedupeKey,
      opts.source,
      JSON.stringify(details.metadata ?? {}),
      ctx.now(),
    ],
  );
  if (inserted.length === 0) {
    const [first] = await q.query<ConversionRow>('SELECT * FROM conversions WHERE workspace_id = $1 AND dedupe_key = $2', [workspaceId, dedupeKey]);
    return { conversion: first, duplicate: true, qualification: null };
  }
  const conversion = inserted[0];
  const referrer = participant.referrer_id ? await findParticipant(q, workspaceId, participant.referrer_id) : null;
  await emitEvent(q, ctx, {
    workspaceId,
    campaignId: participant.campaign_id,
    type: 'conversion.tracked',
    data: { ...toConversion(conversion), referrer: referrer ? toReferrerSummary(referrer, ctx.links) : null },
  });
  const qualification = opts.evaluateGoal === false ? null : await qualifyByGoal(q, ctx, participant, conversion);
  return { conversion, duplicate: false, qualification };
}

/**
 * A conversion matching the campaign goal qualifies a pending (or, held for review, a flagged)
 * referral through the one qualification path. An unqualified referral stays unqualified: it was
 * reversed or rejected on purpose, and a later purchase must not undo that.
 */
async function qualifyByGoal(q: Queryable, ctx: HubContext, participant: ParticipantView, conversion: ConversionRow) {
  if (participant.type !== 'referred' || (participant.referral_status !== 'pending' && participant.referral_status !== 'flagged')) return null;
  const campaign = await getCampaign(q, participant.workspace_id, participant.campaign_id);
  const { goal } = readCampaignSettings(campaign);
  if (!goal || !meetsGoal(goal, conversion)) return null;
  return changeReferralStatus(q, ctx, participant.workspace_id, { participant_id: participant.id }, 'qualified', {
    source: 'conversion',
    reason: `goal '${goal.event}' met by conversion ${conversion.id}`,
    idempotencyKey: `conversion:${conversion.id}`,
  });
}
