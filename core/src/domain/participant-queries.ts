import type { Queryable } from '../db';
import { emailKey } from '../lib/email';
import { ApiError, notFound } from '../lib/errors';
import { isId } from '../lib/ids';
import { normalizeCode } from '../lib/codes';
import type { ReferralSelector } from '../schemas/referral';
import { PARTICIPANT_SELECT, type ParticipantView } from './rows';

/** A participant of the workspace by id, or null. */
export async function findParticipant(q: Queryable, workspaceId: string, id: string): Promise<ParticipantView | null> {
  const [row] = await q.query<ParticipantView>(`${PARTICIPANT_SELECT} WHERE p.id = $1 AND p.workspace_id = $2`, [id, workspaceId]);
  return row ?? null;
}

/** A participant by id or referral code (`GET /v1/participants/{id or code}`); 404 otherwise. */
export async function getParticipantByIdOrCode(q: Queryable, workspaceId: string, idOrCode: string): Promise<ParticipantView> {
  const column = isId('participant', idOrCode) ? 'p.id' : 'p.code';
  const value = column === 'p.id' ? idOrCode : normalizeCode(idOrCode);
  const [row] = await q.query<ParticipantView>(`${PARTICIPANT_SELECT} WHERE ${column} = $1 AND p.workspace_id = $2`, [
    value,
    workspaceId,
  ]);
  if (!row) throw notFound('participant', idOrCode);
  return row;
}

/**
 * The referral a qualify/unqualify call means, locked for the rest of the transaction so two
 * qualifications of one referral run one after the other.
 */
export async function selectReferralForUpdate(q: Queryable, workspaceId: string, s: ReferralSelector): Promise<ParticipantView> {
  let id: string | undefined;
  if (s.participant_id !== undefined) {
    id = (await q.query<{ id: string }>('SELECT id FROM participants WHERE id = $1 AND workspace_id = $2', [s.participant_id, workspaceId]))[0]?.id;
    if (!id) throw notFound('participant', s.participant_id);
  } else if (s.code !== undefined) {
    id = (await q.query<{ id: string }>('SELECT id FROM participants WHERE code = $1 AND workspace_id = $2', [normalizeCode(s.code), workspaceId]))[0]?.id;
    if (!id) throw new ApiError('not_found', `No participant with referral code '${s.code}' in this workspace`, [{ path: 'code', message: 'unknown referral code' }]);
  } else if (s.email !== undefined && s.campaign_id !== undefined) {
    id = (
      await q.query<{ id: string }>('SELECT id FROM participants WHERE campaign_id = $1 AND email_key = $2 AND workspace_id = $3', [
        s.campaign_id,
        emailKey(s.email),
        workspaceId,
      ])
    )[0]?.id;
    if (!id) {
      throw new ApiError('not_found', `No participant with email '${s.email}' in campaign ${s.campaign_id}`, [
        { path: 'email', message: 'no participant with this email in the campaign' },
      ]);
    }
  }
  if (!id) throw new ApiError('validation_failed', 'send code, participant_id, or email with campaign_id');
  await q.query('SELECT id FROM participants WHERE id = $1 FOR UPDATE', [id]);
  const row = await findParticipant(q, workspaceId, id);
  if (!row) throw notFound('participant', id);
  return row;
}
