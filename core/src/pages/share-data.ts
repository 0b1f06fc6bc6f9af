import type { Queryable } from '../db';
import { readCampaignSettings, type CampaignSettings } from '../domain/campaign-settings';
import { PARTICIPANT_SELECT, type CampaignRow, type ParticipantView, type RewardRow } from '../domain/rows';
import { maskEmail } from '../lib/email';
import { nextMilestone, perFriendRewards, type MilestoneProgress } from './progress';

/** Share tokens are base32 from `randomToken`; anything else is not looked up at all. */
export const SHARE_TOKEN_PATTERN = /^[0-9a-z]{20,64}$/;

/** A friend as the referrer may see them: first name and a masked email, nothing else. */
export interface FriendView {
  first_name: string | null;
  masked_email: string;
  referral_status: string | null;
  joined_at: Date;
}

/** Everything the share page (and the participation API) shows about one participant. */
export interface ShareData {
  campaign: CampaignRow;
  settings: CampaignSettings;
  participant: ParticipantView;
  friends: FriendView[];
  friendsTotal: number;
  rewards: RewardRow[];
  progress: MilestoneProgress | null;
  perFriend: string[];
}

const FRIENDS_SHOWN = 100;
const REWARDS_SHOWN = 100;

/** The participant behind a share token (in one workspace when given), or null. */
export async function findByShareToken(q: Queryable, token: string, workspaceId?: string): Promise<ParticipantView | null> {
  if (!SHARE_TOKEN_PATTERN.test(token)) return null;
  const [row] = await q.query<ParticipantView>(
    `${PARTICIPANT_SELECT} WHERE p.share_token = $1 AND ($2::text IS NULL OR p.workspace_id = $2)`,
    [token, workspaceId ?? null],
  );
  return row ?? null;
}

/** Load the share page of a token; null when no participant has it (or not in this workspace). */
export async function loadShareData(q: Queryable, token: string, workspaceId?: string): Promise<ShareData | null> {
  const participant = await findByShareToken(q, token, workspaceId);
  if (!participant) return null;
  const [campaign] = await q.query<CampaignRow>('SELECT * FROM campaigns WHERE id = $1', [participant.campaign_id]);
  if (!campaign) return null;
  const settings = readCampaignSettings(campaign);
  const friendRows = await q.query<{ first_name: string | null; email: string; referral_status: string | null; created_at: Date }>(
    `SELECT first_name, email, referral_status, created_at FROM participants
     WHERE referrer_id = $1 AND workspace_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3`,
    [participant.id, participant.workspace_id, FRIENDS_SHOWN],
  );
  const rewards = await q.query<RewardRow>(
    'SELECT * FROM rewards WHERE participant_id = $1 AND workspace_id = $2 ORDER BY created_at DESC, id DESC LIMIT $3',
    [participant.id, participant.workspace_id, REWARDS_SHOWN],
  );
  return {
    campaign,
    settings,
    participant,
    friends: friendRows.map((f) => ({
      first_name: f.first_name,
      masked_email: maskEmail(f.email),
      referral_status: f.referral_status,
      joined_at: f.created_at,
    })),
    friendsTotal: participant.people_referred,
    rewards,
    progress: nextMilestone(settings.rewardRules, participant.qualified_count),
    perFriend: perFriendRewards(settings.rewardRules),
  };
}
