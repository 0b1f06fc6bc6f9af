import { crmView } from '../integrations/vendor-records';
import { campaignEmbed } from '../pages/embed-snippet';
import type { Campaign } from '../schemas/campaign';
import type { Participant, ReferrerSummary } from '../schemas/participant';
import type { Reward } from '../schemas/reward';
import { readCampaignSettings } from './campaign-settings';
import type { Links } from './links';
import type { CampaignRow, ParticipantView, RewardRow } from './rows';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
const isoRequired = (d: Date): string => d.toISOString();

function fullName(first: string | null, last: string | null): string | null {
  const name = [first, last].filter(Boolean).join(' ');
  return name || null;
}

/** The participant resource as the API and events show it. */
export function toParticipant(row: ParticipantView, links: Links): Participant {
  return {
    id: row.id,
    object: 'participant',
    campaign_id: row.campaign_id,
    type: row.type,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    name: fullName(row.first_name, row.last_name),
    external_id: row.external_id,
    code: row.code,
    referral_link: links.referralLink(row.code),
    qr_url: links.qrUrl(row.code),
    share_url: links.shareUrl(row.share_token),
    referrer_id: row.referrer_id,
    referrer_code: row.referrer_code,
    referral_status: row.referral_status,
    flag_reasons: row.flag_reasons,
    channel: row.channel,
    click_id: row.click_id,
    people_referred: row.people_referred,
    qualified_count: row.qualified_count,
    crm: crmView(row.crm),
    metadata: row.metadata,
    qualified_at: iso(row.qualified_at),
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
    test_mode: row.test_mode,
  };
}

/** The short form of a referrer carried by referral and reward events. */
export function toReferrerSummary(row: ParticipantView, links: Links): ReferrerSummary {
  return {
    id: row.id,
    code: row.code,
    referral_link: links.referralLink(row.code),
    email: row.email,
    name: fullName(row.first_name, row.last_name),
    people_referred: row.people_referred,
    qualified_count: row.qualified_count,
  };
}

/** The reward resource. */
export function toReward(row: RewardRow): Reward {
  return {
    id: row.id,
    object: 'reward',
    campaign_id: row.campaign_id,
    participant_id: row.participant_id,
    referral_id: row.referral_id,
    rule_id: row.rule_id,
    recipient: row.recipient,
    kind: row.kind,
    amount: row.amount,
    currency: row.currency,
    percent_off: row.percent_off,
    description: row.description,
    status: row.status,
    approval: row.approval,
    release_at: iso(row.release_at),
    reason: row.reason,
    issued_at: iso(row.issued_at),
    external_id: row.external_id,
    reward_code: row.reward_code,
    last_error: row.last_error,
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
  };
}

/** The campaign resource. */
export function toCampaign(row: CampaignRow, links: Links): Campaign {
  const s = readCampaignSettings(row);
  return {
    id: row.id,
    object: 'campaign',
    name: row.name,
    slug: row.slug,
    status: row.status,
    destination_url: row.destination_url,
    code: { length: row.code_length, prefix: row.code_prefix },
    attribution: row.attribution,
    attribution_window_days: row.attribution_window_days,
    cookie_days: row.cookie_days,
    review_mode: row.review_mode,
    test_mode: row.test_mode,
    reward_rules: s.rewardRules,
    fraud: s.fraud,
    goal: s.goal,
    allowed_origins: s.allowedOrigins,
    page: s.page,
    metadata: row.metadata,
    join_url: links.joinUrl(row.slug),
    embed: campaignEmbed(links.joinUrl(row.slug), row.name),
    inbound_webhook_url: links.inboundUrl(row.inbound_token),
    inbound_signing: row.inbound_secret !== null,
    created_at: isoRequired(row.created_at),
    updated_at: isoRequired(row.updated_at),
  };
}
