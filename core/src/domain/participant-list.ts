import type { Queryable } from '../db';
import { ApiError } from '../lib/errors';
import { PARTICIPANT_SELECT, type ParticipantView } from './rows';
import type { ParticipantSort } from '../schemas/participant';
import { afterCursor, orderBy } from './participant-sort';

/** What `GET /v1/participants` filters, searches and sorts by (values already normalised). */
export interface ParticipantListOptions {
  campaignId?: string;
  emailKey?: string;
  code?: string;
  type?: ParticipantView['type'];
  referralStatus?: NonNullable<ParticipantView['referral_status']>;
  referrerId?: string;
  /** A substring of the email, name, code, or the referrer's code or email, in any case. */
  search?: string;
  sort: ParticipantSort;
  /** The id of the last participant of the previous page (from the cursor). */
  after?: string;
  limit: number;
}

/** `term` as a LIKE pattern that matches it anywhere, its own `%`, `_` and `\` taken literally. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** One page of participants (`limit + 1` rows, so the caller knows whether another page follows). */
export async function listParticipants(q: Queryable, workspaceId: string, o: ParticipantListOptions): Promise<ParticipantView[]> {
  if (o.after !== undefined) {
    const [known] = await q.query('SELECT 1 FROM participants WHERE id = $1 AND workspace_id = $2', [o.after, workspaceId]);
    if (!known) throw new ApiError('validation_failed', 'cursor: points at no participant of this workspace', [{ path: 'query.cursor', message: 'unknown position' }]);
  }
  const params: unknown[] = [workspaceId];
  const where = ['p.workspace_id = $1'];
  const add = (sql: (param: string) => string, value: unknown) => {
    params.push(value);
    where.push(sql(`$${params.length}`));
  };
  if (o.campaignId !== undefined) add((v) => `p.campaign_id = ${v}`, o.campaignId);
  if (o.emailKey !== undefined) add((v) => `p.email_key = ${v}`, o.emailKey);
  if (o.code !== undefined) add((v) => `p.code = ${v}`, o.code);
  if (o.type !== undefined) add((v) => `p.type = ${v}`, o.type);
  if (o.referralStatus !== undefined) add((v) => `p.referral_status = ${v}`, o.referralStatus);
  if (o.referrerId !== undefined) add((v) => `p.referrer_id = ${v}`, o.referrerId);
  if (o.search !== undefined) {
    add(
      (v) =>
        `(p.email ILIKE ${v} ESCAPE '\\' OR concat_ws(' ', p.first_name, p.last_name) ILIKE ${v} ESCAPE '\\' OR p.code ILIKE ${v} ESCAPE '\\'
          OR r.code ILIKE ${v} ESCAPE '\\' OR r.email ILIKE ${v} ESCAPE '\\')`,
      containsPattern(o.search),
    );
  }
  if (o.after !== undefined) add((v) => afterCursor(o.sort, v), o.after);
  params.push(o.limit + 1);
  return q.query<ParticipantView>(`${PARTICIPANT_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${orderBy(o.sort)} LIMIT $${params.length}`, params);
}
