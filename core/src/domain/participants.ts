import type { Queryable } from '../db';
import type { HubContext } from '../context';
import { emitEvent } from '../events/emit';
import { generateCode, normalizeCode } from '../lib/codes';
import { canonicalEmail, emailKey } from '../lib/email';
import { ApiError, invalidField } from '../lib/errors';
import { newId, randomToken } from '../lib/ids';
import type { CreateParticipantInput, UpdateParticipantInput } from '../schemas/participant';
import { recordActivity } from './activities';
import { readCampaignSettings } from './campaign-settings';
import { getCampaign } from './campaigns';
import { checkReferredSignup } from './fraud';
import { findParticipant } from './participant-queries';
import type { CampaignRow, ParticipantRow, ParticipantView } from './rows';
import { toParticipant, toReferrerSummary } from './serialize';

/** How a sign-up reached us, beyond its body. */
export interface SignupOrigin {
  /** Where it came from, for the timeline: api, join_page, snippet, csv, pipedrive, … */
  source: string;
  /** Salted hash of the sign-up's IP, for the same-IP check. */
  ipHash?: string | null;
  /** `imported` for CSV and CRM syncs. */
  type?: 'direct' | 'imported';
}

export interface SignupResult {
  participant: ParticipantView;
  created: boolean;
}

interface ClickRef {
  participant_id: string;
  campaign_id: string;
  channel: string | null;
  created_at: Date;
}

const DAY_MS = 86_400_000;

/**
 * Add a participant to a campaign. The same email (case-insensitive) returns the participant
 * already there. A `referrer_code`, or a `click_id` inside the attribution window, makes the new
 * participant `referred` (status pending, or flagged when a fraud check hits).
 */
export async function createParticipant(
  ctx: HubContext,
  workspaceId: string,
  input: CreateParticipantInput,
  origin: SignupOrigin,
): Promise<SignupResult> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await ctx.db.tx((q) => createParticipantIn(q, ctx, workspaceId, input, origin));
    } catch (err) {
      // A generated code collided with another (1 in 25^length): draw again.
      if (attempt < 3 && !input.code && isUniqueViolation(err, 'participants_code')) continue;
      throw err;
    }
  }
}

export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  if (e.code !== '23505') return false;
  return !constraint || e.constraint === constraint || (typeof e.message === 'string' && e.message.includes(constraint));
}

/** The same, inside a caller's transaction (CSV imports, CRM syncs). */
export async function createParticipantIn(
  q: Queryable,
  ctx: HubContext,
  workspaceId: string,
  input: CreateParticipantInput,
  origin: SignupOrigin,
): Promise<SignupResult> {
  const campaign = await getCampaign(q, workspaceId, input.campaign_id).catch(() => {
    throw invalidField('campaign_id', `no campaign '${input.campaign_id}' in this workspace`);
  });
  const key = emailKey(input.email);
  const existing = await q.query<{ id: string }>('SELECT id FROM participants WHERE campaign_id = $1 AND email_key = $2', [campaign.id, key]);
  if (existing.length > 0) {
    const participant = await findParticipant(q, workspaceId, existing[0].id);
    if (participant) return { participant, created: false };
  }

  const now = ctx.now();
  const attribution = await resolveReferrer(q, ctx, campaign, input, now);
  const code = input.code ? normalizeCode(input.code) : generateCode(campaign.code_length, campaign.code_prefix);
  if (input.code) {
    const taken = await q.query('SELECT 1 FROM participants WHERE code = $1', [code]);
    if (taken.length > 0) throw new ApiError('conflict', `code '${code}' is already taken`, [{ path: 'code', message: 'is already taken' }]);
  }

  const ipHash = origin.ipHash ?? null;
  const settings = readCampaignSettings(campaign);
  const reasons = attribution
    ? await checkReferredSignup(q, settings.fraud, attribution.referrer, { campaignId: campaign.id, email: input.email, ipHash, at: now })
    : [];
  const type = attribution ? 'referred' : (input.type ?? origin.type ?? 'direct');
  const status = attribution ? (reasons.length > 0 ? 'flagged' : 'pending') : null;

  const inserted = await q.query<ParticipantRow>(
    `INSERT INTO participants (id, workspace_id, campaign_id, type, email, email_key, email_canonical, first_name, last_name,
       external_id, code, share_token, referrer_id, referral_status, flag_reasons, click_id, channel, signup_ip_hash, metadata,
       created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15::jsonb,$16,$17,$18,$19::jsonb,$20,$20)
     ON CONFLICT (campaign_id, email_key) DO NOTHING RETURNING *`,
    [
      newId('participant'),
      workspaceId,
      campaign.id,
      type,
      input.email.trim(),
      key,
      canonicalEmail(input.email),
      input.first_name ?? null,
      input.last_name ?? null,
      input.external_id ?? null,
      code,
      randomToken(24),
      attribution?.referrer.id ?? null,
      status,
      reasons.length > 0 ? JSON.stringify(reasons) : null,
      attribution?.clickId ?? null,
      attribution?.channel ?? null,
      ipHash,
      JSON.stringify(input.metadata ?? {}),
      now,
    ],
  );
  if (inserted.length === 0) {
    // Another request added the same email between our check and insert: answer with theirs.
    const [row] = await q.query<{ id: string }>('SELECT id FROM participants WHERE campaign_id = $1 AND email_key = $2', [campaign.id, key]);
    const participant = await findParticipant(q, workspaceId, row.id);
    if (!participant) throw new ApiError('internal', 'participant vanished during creation');
    return { participant, created: false };
  }
  // A new participant has referred no one yet: its view is the inserted row, no second read.
  const participant: ParticipantView = {
    ...inserted[0],
    referrer_code: attribution?.referrer.code ?? null,
    people_referred: 0,
    qualified_count: 0,
    test_mode: campaign.test_mode,
  };

  await recordActivity(q, ctx, workspaceId, participant.id, 'signup', origin.source, {
    type,
    referrer_id: participant.referrer_id,
    click_id: participant.click_id,
    channel: participant.channel,
  });
  const resource = toParticipant(participant, ctx.links);
  await emitEvent(q, ctx, { workspaceId, campaignId: campaign.id, type: 'participant.created', data: resource });
  if (attribution) {
    const referrer = await findParticipant(q, workspaceId, attribution.referrer.id);
    const data = { ...resource, referrer: referrer ? toReferrerSummary(referrer, ctx.links) : null };
    await emitEvent(q, ctx, { workspaceId, campaignId: campaign.id, type: 'referral.created', data });
    if (status === 'flagged') {
      await recordActivity(q, ctx, workspaceId, participant.id, 'flagged', 'fraud_check', { reasons });
      await emitEvent(q, ctx, { workspaceId, campaignId: campaign.id, type: 'referral.flagged', data });
    }
  }
  return { participant, created: true };
}

interface Attribution {
  referrer: ParticipantRow;
  clickId: string | null;
  channel: string | null;
}

/**
 * Who referred this sign-up. A referrer code names them directly; a click id counts only inside
 * the campaign's attribution window (older clicks make the sign-up direct).
 */
async function resolveReferrer(
  q: Queryable,
  ctx: HubContext,
  campaign: CampaignRow,
  input: CreateParticipantInput,
  now: Date,
): Promise<Attribution | null> {
  let click: (ClickRef & { id: string }) | null = null;
  if (input.click_id) {
    const rows = await q.query<ClickRef>(
      'SELECT participant_id, campaign_id, channel, created_at FROM clicks WHERE id = $1 AND workspace_id = $2',
      [input.click_id, campaign.workspace_id],
    );
    const found = rows[0] ?? ctx.bufferedClick?.(input.click_id, campaign.workspace_id) ?? null;
    if (found) click = { ...found, id: input.click_id };
  }
  if (input.referrer_code) {
    const code = normalizeCode(input.referrer_code);
    const [referrer] = await q.query<ParticipantRow>('SELECT * FROM participants WHERE code = $1 AND campaign_id = $2', [
      code,
      campaign.id,
    ]);
    if (!referrer) throw invalidField('referrer_code', `no participant with code '${input.referrer_code}' in campaign ${campaign.id}`);
    const sameClick = click && click.participant_id === referrer.id ? click : null;
    return { referrer, clickId: sameClick?.id ?? null, channel: sameClick?.channel ?? 'code' };
  }
  if (!click || click.campaign_id !== campaign.id) return null;
  if (now.getTime() - click.created_at.getTime() > campaign.attribution_window_days * DAY_MS) return null;
  const [referrer] = await q.query<ParticipantRow>('SELECT * FROM participants WHERE id = $1', [click.participant_id]);
  return referrer ? { referrer, clickId: click.id, channel: click.channel } : null;
}

/** PATCH /v1/participants/{id} */
export async function updateParticipant(q: Queryable, ctx: HubContext, workspaceId: string, id: string, patch: UpdateParticipantInput) {
  const current = await findParticipant(q, workspaceId, id);
  if (!current) throw new ApiError('not_found', `No participant with id '${id}' in this workspace`);
  if (patch.email !== undefined && emailKey(patch.email) !== current.email_key) {
    const clash = await q.query('SELECT 1 FROM participants WHERE campaign_id = $1 AND email_key = $2', [current.campaign_id, emailKey(patch.email)]);
    if (clash.length > 0) throw new ApiError('conflict', 'another participant of this campaign has that email', [{ path: 'email', message: 'is already used in this campaign' }]);
  }
  await q.query(
    `UPDATE participants SET
       email = COALESCE($3, email), email_key = COALESCE($4, email_key), email_canonical = COALESCE($5, email_canonical),
       first_name = CASE WHEN $6::boolean THEN $7 ELSE first_name END,
       last_name = CASE WHEN $8::boolean THEN $9 ELSE last_name END,
       external_id = CASE WHEN $10::boolean THEN $11 ELSE external_id END,
       metadata = COALESCE($12::jsonb, metadata), updated_at = $13
     WHERE id = $1 AND workspace_id = $2`,
    [
      id,
      workspaceId,
      patch.email?.trim() ?? null,
      patch.email ? emailKey(patch.email) : null,
      patch.email ? canonicalEmail(patch.email) : null,
      patch.first_name !== undefined,
      patch.first_name ?? null,
      patch.last_name !== undefined,
      patch.last_name ?? null,
      patch.external_id !== undefined,
      patch.external_id ?? null,
      patch.metadata ? JSON.stringify(patch.metadata) : null,
      ctx.now(),
    ],
  );
  const updated = await findParticipant(q, workspaceId, id);
  if (!updated) throw new ApiError('internal', 'participant vanished during update');
  return updated;
}
