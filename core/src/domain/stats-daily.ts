import type { Queryable } from '../db';
import type { DailyStats } from '../schemas/campaign-stats';

const DAY_MS = 86_400_000;

/** The UTC day of an instant, as YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * GET /v1/campaigns/{id}/stats/daily: per UTC day, the referred sign-ups, the qualifications and the
 * human clicks of one campaign over `days` days ending with `lastDay`. Counted in SQL by day, with a
 * zero for every day nothing happened. A referral counts on the day of its qualified_at while it is
 * still qualified (an unqualified one drops out, a requalified one moves to its new day), so the
 * days add up to the qualified figure of `campaignStats`.
 */
export async function campaignDailyStats(q: Queryable, workspaceId: string, campaignId: string, lastDay: string, days: number): Promise<DailyStats> {
  const end = Date.parse(`${lastDay}T00:00:00.000Z`) + DAY_MS;
  const start = end - days * DAY_MS;
  const firstDay = utcDay(new Date(start));
  const rows = await q.query<{ day: string; referred: number; qualified: number; clicks: number }>(
    `WITH days AS (
       SELECT $3::date + g.i AS day FROM generate_series(0, $4::int - 1) AS g(i)
     ), referred AS (
       SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM participants
       WHERE workspace_id = $1 AND campaign_id = $2 AND type = 'referred' AND created_at >= $5::timestamptz AND created_at < $6::timestamptz
       GROUP BY 1
     ), qualified AS (
       SELECT (qualified_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM participants
       WHERE workspace_id = $1 AND campaign_id = $2 AND referral_status = 'qualified'
         AND qualified_at >= $5::timestamptz AND qualified_at < $6::timestamptz
       GROUP BY 1
     ), human_clicks AS (
       SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM clicks
       WHERE workspace_id = $1 AND campaign_id = $2 AND NOT is_bot AND created_at >= $5::timestamptz AND created_at < $6::timestamptz
       GROUP BY 1
     )
     SELECT to_char(d.day, 'YYYY-MM-DD') AS day, COALESCE(r.n, 0) AS referred, COALESCE(ql.n, 0) AS qualified, COALESCE(hc.n, 0) AS clicks
     FROM days d
     LEFT JOIN referred r ON r.day = d.day
     LEFT JOIN qualified ql ON ql.day = d.day
     LEFT JOIN human_clicks hc ON hc.day = d.day
     ORDER BY d.day`,
    [workspaceId, campaignId, firstDay, days, new Date(start).toISOString(), new Date(end).toISOString()],
  );
  return { from: firstDay, to: lastDay, data: rows };
}
