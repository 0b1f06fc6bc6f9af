/** Rows as the store returns them (our own tables: trusted shapes). */

export interface CampaignRow {
  id: string;
  workspace_id: string;
  name: string;
  slug: string;
  status: 'draft' | 'live' | 'paused' | 'ended';
  destination_url: string;
  code_length: number;
  code_prefix: string;
  attribution: 'first_click' | 'last_click';
  attribution_window_days: number;
  cookie_days: number;
  review_mode: 'auto' | 'manual';
  test_mode: boolean;
  reward_rules: unknown;
  fraud: unknown;
  goal: unknown;
  allowed_origins: unknown;
  page: unknown;
  metadata: Record<string, unknown>;
  inbound_token: string;
  inbound_secret: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface ParticipantRow {
  id: string;
  workspace_id: string;
  campaign_id: string;
  type: 'direct' | 'referred' | 'imported';
  email: string;
  email_key: string;
  email_canonical: string;
  first_name: string | null;
  last_name: string | null;
  external_id: string | null;
  code: string;
  share_token: string;
  referrer_id: string | null;
  referral_status: 'pending' | 'qualified' | 'unqualified' | 'flagged' | null;
  flag_reasons: string[] | null;
  held_status: 'qualified' | null;
  click_id: string | null;
  channel: string | null;
  signup_ip_hash: string | null;
  crm: Record<string, unknown>;
  metadata: Record<string, unknown>;
  qualified_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A participant row joined with what its resource shows (see PARTICIPANT_SELECT). */
export interface ParticipantView extends ParticipantRow {
  referrer_code: string | null;
  people_referred: number;
  qualified_count: number;
  test_mode: boolean;
}

export interface RewardRow {
  id: string;
  workspace_id: string;
  campaign_id: string;
  participant_id: string;
  referral_id: string;
  rule_id: string;
  recipient: 'referrer' | 'friend';
  kind: 'credit' | 'coupon' | 'cash' | 'custom';
  amount: number | null;
  currency: string | null;
  percent_off: number | null;
  description: string | null;
  status: 'pending' | 'approved' | 'delayed' | 'declined' | 'issued';
  approval: 'auto' | 'manual';
  release_at: Date | null;
  reason: string | null;
  issued_at: Date | null;
  external_id: string | null;
  reward_code: string | null;
  last_error: string | null;
  dedupe_key: string;
  created_at: Date;
  updated_at: Date;
}

/** Participant columns plus referrer code and referral counts, for the participant resource. */
export const PARTICIPANT_SELECT = `
  SELECT p.*, r.code AS referrer_code, c.test_mode,
    (SELECT count(*) FROM participants x WHERE x.referrer_id = p.id) AS people_referred,
    (SELECT count(*) FROM participants x WHERE x.referrer_id = p.id AND x.referral_status = 'qualified') AS qualified_count
  FROM participants p
  JOIN campaigns c ON c.id = p.campaign_id
  LEFT JOIN participants r ON r.id = p.referrer_id`;
