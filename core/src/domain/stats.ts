import type { Queryable } from '../db';

/** GET /v1/campaigns/{id}/stats: the numbers of one campaign. */
export async function campaignStats(q: Queryable, workspaceId: string, campaignId: string) {
  const params = [workspaceId, campaignId];
  const byType = await q.query<{ type: string; n: number }>(
    'SELECT type, count(*) AS n FROM participants WHERE workspace_id = $1 AND campaign_id = $2 GROUP BY type',
    params,
  );
  const byStatus = await q.query<{ referral_status: string; n: number }>(
    `SELECT referral_status, count(*) AS n FROM participants WHERE workspace_id = $1 AND campaign_id = $2 AND referral_status IS NOT NULL
     GROUP BY referral_status`,
    params,
  );
  const clicks = await q.query<{ channel: string; n: number; humans: number }>(
    `SELECT COALESCE(channel, 'link') AS channel, count(*) AS n, count(*) FILTER (WHERE NOT is_bot) AS humans
     FROM clicks WHERE workspace_id = $1 AND campaign_id = $2 GROUP BY 1`,
    params,
  );
  const [sharers] = await q.query<{ n: number }>(
    `SELECT count(*) AS n FROM participants p WHERE p.workspace_id = $1 AND p.campaign_id = $2 AND (
       EXISTS (SELECT 1 FROM clicks c WHERE c.participant_id = p.id AND NOT c.is_bot)
       OR EXISTS (SELECT 1 FROM activities a WHERE a.participant_id = p.id AND a.kind IN ('link_copied', 'link_shared')))`,
    params,
  );
  const rewards = await q.query<{ status: string; n: number; currency: string | null; amount: number }>(
    `SELECT status, currency, count(*) AS n, COALESCE(sum(amount), 0)::bigint AS amount FROM rewards
     WHERE workspace_id = $1 AND campaign_id = $2 GROUP BY status, currency`,
    params,
  );
  const types = Object.fromEntries(['direct', 'referred', 'imported'].map((t) => [t, byType.find((r) => r.type === t)?.n ?? 0]));
  const statuses = Object.fromEntries(
    ['pending', 'qualified', 'unqualified', 'flagged'].map((s) => [s, byStatus.find((r) => r.referral_status === s)?.n ?? 0]),
  );
  const referred = types.referred;
  const rewardsByStatus = Object.fromEntries(
    ['pending', 'approved', 'delayed', 'declined', 'issued'].map((s) => [s, rewards.filter((r) => r.status === s).reduce((a, r) => a + r.n, 0)]),
  );
  // Amount due: rewards owed but not yet paid out, per currency.
  const due: Record<string, number> = {};
  for (const r of rewards) {
    if (r.currency && ['pending', 'approved', 'delayed'].includes(r.status)) due[r.currency] = (due[r.currency] ?? 0) + r.amount;
  }
  return {
    campaign_id: campaignId,
    participants: { total: types.direct + types.referred + types.imported, ...types },
    sharers: sharers?.n ?? 0,
    clicks: {
      total: clicks.reduce((a, r) => a + r.n, 0),
      humans: clicks.reduce((a, r) => a + r.humans, 0),
      by_channel: Object.fromEntries(clicks.map((r) => [r.channel, r.n])),
    },
    referrals: { total: referred, ...statuses },
    conversion_rate: referred > 0 ? Math.round((statuses.qualified / referred) * 10_000) / 10_000 : 0,
    rewards: { by_status: rewardsByStatus, amount_due: due },
  };
}

/** GET /v1/campaigns/{id}/leaderboard: top referrers by qualified friends, then by friends referred. */
export async function campaignLeaderboard(q: Queryable, workspaceId: string, campaignId: string, since: Date | null, limit: number) {
  return q.query<{ participant_id: string; code: string; email: string; name: string | null; referred: number; qualified: number }>(
    `SELECT r.id AS participant_id, r.code, r.email, NULLIF(concat_ws(' ', r.first_name, r.last_name), '') AS name,
       count(*) AS referred, count(*) FILTER (WHERE f.referral_status = 'qualified') AS qualified
     FROM participants f JOIN participants r ON r.id = f.referrer_id
     WHERE f.workspace_id = $1 AND f.campaign_id = $2 AND ($3::timestamptz IS NULL OR f.created_at >= $3)
     GROUP BY r.id ORDER BY qualified DESC, referred DESC, r.id LIMIT $4`,
    [workspaceId, campaignId, since, limit],
  );
}
