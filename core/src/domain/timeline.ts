import type { Queryable } from '../db';
import { ApiError } from '../lib/errors';

export interface TimelineEntry {
  id: string;
  kind: string;
  source: string;
  at: string;
  data: Record<string, unknown>;
}

/**
 * Everything that touched a participant, oldest first: the click that brought them, clicks on
 * their own link, sign-up, qualification changes, conversions, rewards and CRM actions.
 */
export async function participantTimeline(q: Queryable, workspaceId: string, participantId: string): Promise<TimelineEntry[]> {
  const [p] = await q.query<{ id: string; click_id: string | null }>('SELECT id, click_id FROM participants WHERE id = $1 AND workspace_id = $2', [
    participantId,
    workspaceId,
  ]);
  if (!p) throw new ApiError('not_found', `No participant with id '${participantId}' in this workspace`);
  const rows = await q.query<{ id: string; kind: string; source: string; at: Date; data: Record<string, unknown> }>(
    `SELECT id, kind, source, created_at AS at, data FROM activities WHERE participant_id = $1 AND workspace_id = $2
     UNION ALL
     SELECT id, CASE WHEN id = $3 THEN 'referral_click' ELSE 'click' END, COALESCE(channel, 'link'), created_at,
       jsonb_build_object('channel', channel, 'utm_source', utm_source, 'utm_medium', utm_medium, 'utm_campaign', utm_campaign,
         'referer', referer, 'is_bot', is_bot, 'participant_id', participant_id)
     FROM clicks WHERE workspace_id = $2 AND (participant_id = $1 OR id = $3)
     UNION ALL
     SELECT id, 'conversion', source, created_at,
       jsonb_build_object('event', event, 'amount', amount, 'currency', currency, 'transaction_id', transaction_id)
     FROM conversions WHERE participant_id = $1 AND workspace_id = $2
     ORDER BY at, id LIMIT 1000`,
    [participantId, workspaceId, p.click_id ?? ''],
  );
  return rows.map((r) => ({ id: r.id, kind: r.kind, source: r.source, at: r.at.toISOString(), data: r.data }));
}
