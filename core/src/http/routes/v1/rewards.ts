// /v1/rewards – list rewards and the review controls: approve, decline, issue, delay
import { z } from 'zod';
import { applyRewardAction, type RewardAction, type RewardActionInput } from '../../../domain/rewards';
import type { RewardRow } from '../../../domain/rows';
import { toReward } from '../../../domain/serialize';
import { notFound } from '../../../lib/errors';
import { pageSchema } from '../../../schemas/common';
import { rewardDecisionSchema, rewardDelaySchema, rewardIssueSchema, rewardListQuerySchema, rewardSchema } from '../../../schemas/reward';
import { decodeCursor, toPage } from '../../paging';
import { defineRoute } from '../../route';

const idParams = z.object({ id: z.string().min(1) });
const DAY_MS = 86_400_000;

export const rewardRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/rewards',
    summary: 'List rewards, newest first',
    tags: ['Rewards'],
    auth: 'secret',
    query: rewardListQuerySchema,
    response: pageSchema(rewardSchema),
    async handler({ hub, workspaceId, query }) {
      const rows = await hub.db.query<RewardRow>(
        `SELECT * FROM rewards WHERE workspace_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR campaign_id = $3)
           AND ($4::text IS NULL OR participant_id = $4) AND ($5::text IS NULL OR referral_id = $5) AND ($6::text IS NULL OR id < $6)
         ORDER BY id DESC LIMIT $7`,
        [
          workspaceId,
          query.status ?? null,
          query.campaign_id ?? null,
          query.participant_id ?? null,
          query.referral_id ?? null,
          decodeCursor(query.cursor) ?? null,
          query.limit + 1,
        ],
      );
      return toPage(rows, query.limit, toReward);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/rewards/:id',
    summary: 'Get a reward',
    tags: ['Rewards'],
    auth: 'secret',
    params: idParams,
    response: rewardSchema,
    async handler({ hub, workspaceId, params }) {
      const [row] = await hub.db.query<RewardRow>('SELECT * FROM rewards WHERE id = $1 AND workspace_id = $2', [params.id, workspaceId]);
      if (!row) throw notFound('reward', params.id);
      return toReward(row);
    },
  }),
  reviewControl('approve', 'Approve a pending reward (or release a delayed one now)', rewardDecisionSchema, (body) => body),
  reviewControl('decline', 'Decline a reward that is not issued', rewardDecisionSchema, (body) => body),
  reviewControl('issue', 'Mark an approved reward as issued (paid out)', rewardIssueSchema, (body) => body),
  reviewControl('delay', 'Hold a reward until a date (it is approved then)', rewardDelaySchema, (body, now) => ({
    reason: body.reason,
    until: body.until ? new Date(body.until) : new Date(now.getTime() + (body.days ?? 1) * DAY_MS),
  })),
];

/** POST /v1/rewards/{id}/{action}: one review control; anything but a valid transition is a 409. */
function reviewControl<B extends z.ZodType>(
  action: RewardAction,
  summary: string,
  body: B,
  toInput: (body: z.infer<B>, now: Date) => RewardActionInput,
) {
  return defineRoute({
    method: 'post',
    path: `/v1/rewards/:id/${action}`,
    summary,
    tags: ['Rewards'],
    auth: 'secret',
    params: idParams,
    body,
    response: rewardSchema,
    notes: { 409: 'Not a valid transition from the current status' },
    async handler({ hub, workspaceId, params, body: input }) {
      return toReward(await hub.db.tx((q) => applyRewardAction(q, hub, workspaceId, params.id, action, toInput(input, hub.now()))));
    },
  });
}
