// /v1/campaigns – create, list, read and update referral programs; their stats (totals and per day) and leaderboard
import { z } from 'zod';
import { createCampaign, getCampaign, listCampaigns, rotateInboundToken, updateCampaign } from '../../../domain/campaigns';
import { toCampaign } from '../../../domain/serialize';
import { campaignLeaderboard, campaignStats } from '../../../domain/stats';
import { campaignDailyStats, utcDay } from '../../../domain/stats-daily';
import { dailyStatsQuerySchema, dailyStatsSchema } from '../../../schemas/campaign-stats';
import { campaignListQuerySchema, campaignSchema, createCampaignSchema, updateCampaignSchema } from '../../../schemas/campaign';
import { pageQuerySchema, pageSchema } from '../../../schemas/common';
import { decodeCursor, toPage } from '../../paging';
import { defineRoute } from '../../route';

const idParams = z.object({ id: z.string().min(1) });

export const campaignRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/campaigns',
    summary: 'Create a campaign',
    tags: ['Campaigns'],
    auth: 'secret',
    body: createCampaignSchema,
    response: campaignSchema,
    status: 201,
    async handler({ hub, workspaceId, body }) {
      return toCampaign(await hub.db.tx((q) => createCampaign(q, workspaceId, body)), hub.links);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/campaigns',
    summary: 'List campaigns, newest first',
    tags: ['Campaigns'],
    auth: 'secret',
    query: pageQuerySchema.extend(campaignListQuerySchema.shape),
    response: pageSchema(campaignSchema),
    async handler({ hub, workspaceId, query }) {
      const rows = await listCampaigns(hub.db, workspaceId, { status: query.status, limit: query.limit, cursor: decodeCursor(query.cursor) });
      return toPage(rows, query.limit, (r) => toCampaign(r, hub.links));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/campaigns/:id',
    summary: 'Get a campaign',
    tags: ['Campaigns'],
    auth: 'secret',
    params: idParams,
    response: campaignSchema,
    async handler({ hub, workspaceId, params }) {
      return toCampaign(await getCampaign(hub.db, workspaceId, params.id), hub.links);
    },
  }),
  defineRoute({
    method: 'patch',
    path: '/v1/campaigns/:id',
    summary: 'Update a campaign',
    description: 'Send only the fields to change. Objects (page, fraud, goal) replace the stored value; fraud merges.',
    tags: ['Campaigns'],
    auth: 'secret',
    params: idParams,
    body: updateCampaignSchema,
    response: campaignSchema,
    async handler({ hub, workspaceId, params, body }) {
      const row = await hub.db.tx((q) => updateCampaign(q, workspaceId, params.id, body));
      hub.codeCache.invalidateCampaign(row.id);
      return toCampaign(row, hub.links);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/campaigns/:id/inbound-webhook/rotate',
    summary: 'Rotate the inbound qualification webhook URL (and optionally set or clear its signing secret)',
    tags: ['Campaigns'],
    auth: 'secret',
    params: idParams,
    body: z.object({ signing_secret: z.string().min(16).max(200).nullable().optional() }),
    response: campaignSchema,
    async handler({ hub, workspaceId, params, body }) {
      return toCampaign(await hub.db.tx((q) => rotateInboundToken(q, workspaceId, params.id, body.signing_secret)), hub.links);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/campaigns/:id/stats',
    summary: 'Campaign figures: participants, sharers, clicks by channel, referral statuses, conversion rate, rewards',
    tags: ['Campaigns'],
    auth: 'secret',
    params: idParams,
    async handler({ hub, workspaceId, params }) {
      await getCampaign(hub.db, workspaceId, params.id);
      return campaignStats(hub.db, workspaceId, params.id);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/campaigns/:id/stats/daily',
    summary: 'Campaign figures per UTC day: referred sign-ups, qualified referrals and human clicks',
    description:
      'One entry per day over `days` days ending with `to` (today by default), oldest first; days without activity are zeros. ' +
      'A referral counts on the day it was qualified while it stays qualified.',
    tags: ['Campaigns'],
    auth: 'secret',
    params: idParams,
    query: dailyStatsQuerySchema,
    response: dailyStatsSchema,
    async handler({ hub, workspaceId, params, query }) {
      await getCampaign(hub.db, workspaceId, params.id);
      return campaignDailyStats(hub.db, workspaceId, params.id, query.to ?? utcDay(hub.now()), query.days);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/campaigns/:id/leaderboard',
    summary: 'Top referrers of a campaign',
    tags: ['Campaigns'],
    auth: 'secret',
    params: idParams,
    query: z.object({ period: z.enum(['all', 'month']).default('all'), limit: z.coerce.number().int().min(1).max(100).default(10) }),
    async handler({ hub, workspaceId, params, query }) {
      await getCampaign(hub.db, workspaceId, params.id);
      const now = hub.now();
      const since = query.period === 'month' ? new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) : null;
      const rows = await campaignLeaderboard(hub.db, workspaceId, params.id, since, query.limit);
      return { period: query.period, data: rows.map((r, i) => ({ rank: i + 1, ...r })) };
    },
  }),
];
