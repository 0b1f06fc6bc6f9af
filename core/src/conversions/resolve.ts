import type { Queryable } from '../db';
import { PARTICIPANT_SELECT, type ParticipantView } from '../domain/rows';
import { normalizeCode } from '../lib/codes';
import { emailKey } from '../lib/email';
import { ApiError, invalidField } from '../lib/errors';

/** Who converted: one of these, as `POST /v1/conversions` accepts them. */
export interface ConversionSelector {
  email?: string;
  code?: string;
  click_id?: string;
  participant_id?: string;
  campaign_id?: string;
}

function notFoundAt(path: string, detail: string): ApiError {
  return new ApiError('not_found', detail, [{ path, message: detail }]);
}

/** The participant a conversion belongs to; 404 naming the field when there is none. */
export async function resolveConverter(q: Queryable, workspaceId: string, s: ConversionSelector): Promise<ParticipantView> {
  if (s.participant_id !== undefined) {
    const [row] = await q.query<ParticipantView>(`${PARTICIPANT_SELECT} WHERE p.id = $1 AND p.workspace_id = $2`, [s.participant_id, workspaceId]);
    if (!row) throw notFoundAt('participant_id', `no participant '${s.participant_id}' in this workspace`);
    return row;
  }
  if (s.code !== undefined) {
    const [row] = await q.query<ParticipantView>(`${PARTICIPANT_SELECT} WHERE p.code = $1 AND p.workspace_id = $2`, [normalizeCode(s.code), workspaceId]);
    if (!row) throw notFoundAt('code', `no participant with referral code '${s.code}' in this workspace`);
    return row;
  }
  if (s.click_id !== undefined) {
    const [row] = await q.query<ParticipantView>(`${PARTICIPANT_SELECT} WHERE p.click_id = $1 AND p.workspace_id = $2 ORDER BY p.id LIMIT 1`, [
      s.click_id,
      workspaceId,
    ]);
    if (!row) throw notFoundAt('click_id', `no participant signed up through click '${s.click_id}'`);
    return row;
  }
  if (s.email !== undefined) {
    const found = await findByEmail(q, workspaceId, s.email, s.campaign_id);
    if (found === 'ambiguous') throw invalidField('campaign_id', `is required: ${s.email} is a participant of several campaigns`);
    if (!found) throw notFoundAt('email', `no participant with email '${s.email}'${s.campaign_id ? ` in campaign ${s.campaign_id}` : ''}`);
    return found;
  }
  throw invalidField('email', 'send email, code, click_id or participant_id');
}

/** The participant with this email (in one campaign when given); 'ambiguous' when several campaigns have one. */
export async function findByEmail(
  q: Queryable,
  workspaceId: string,
  email: string,
  campaignId: string | undefined,
): Promise<ParticipantView | 'ambiguous' | null> {
  const rows = await q.query<ParticipantView>(
    `${PARTICIPANT_SELECT} WHERE p.email_key = $1 AND p.workspace_id = $2 AND ($3::text IS NULL OR p.campaign_id = $3) ORDER BY p.id LIMIT 2`,
    [emailKey(email), workspaceId, campaignId ?? null],
  );
  if (rows.length > 1) return 'ambiguous';
  return rows[0] ?? null;
}
