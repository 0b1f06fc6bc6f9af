import type { PlainOutputField } from 'zapier-platform-core';

/* Labels for what the app returns, shared by triggers (nested under `data__`), creates and searches. */

type FieldSpec = [key: string, label: string, type?: PlainOutputField['type']];

function fields(prefix: string, specs: FieldSpec[]): PlainOutputField[] {
  return specs.map(([key, label, type]) => ({ key: `${prefix}${key}`, label, ...(type ? { type } : {}) }));
}

/** The participant resource (a referred participant is "a referral"). */
export function participantOutputFields(prefix = ''): PlainOutputField[] {
  return fields(prefix, [
    ['id', 'Participant ID'],
    ['campaign_id', 'Campaign ID'],
    ['type', 'Type (direct, referred or imported)'],
    ['email', 'Email'],
    ['first_name', 'First Name'],
    ['last_name', 'Last Name'],
    ['name', 'Name'],
    ['external_id', 'External ID'],
    ['code', 'Referral Code'],
    ['referral_link', 'Referral Link'],
    ['qr_url', 'QR Code URL'],
    ['share_url', 'Share Page URL'],
    ['referrer_id', 'Referrer ID'],
    ['referrer_code', 'Referrer Code'],
    ['referral_status', 'Referral Status (pending, qualified, unqualified or flagged)'],
    ['channel', 'Channel'],
    ['click_id', 'Click ID'],
    ['people_referred', 'People Referred', 'integer'],
    ['qualified_count', 'Qualified Referrals', 'integer'],
    ['qualified_at', 'Qualified At', 'datetime'],
    ['created_at', 'Joined At', 'datetime'],
    ['updated_at', 'Updated At', 'datetime'],
    ['test_mode', 'Test Mode', 'boolean'],
  ]);
}

/** The referrer summary carried by referral, conversion and reward events. */
export function referrerOutputFields(prefix = ''): PlainOutputField[] {
  return fields(`${prefix}referrer__`, [
    ['id', 'Referrer Participant ID'],
    ['code', 'Referrer Code'],
    ['referral_link', 'Referrer Referral Link'],
    ['email', 'Referrer Email'],
    ['name', 'Referrer Name'],
    ['people_referred', 'Referrer People Referred', 'integer'],
    ['qualified_count', 'Referrer Qualified Referrals', 'integer'],
  ]);
}

/** The reward resource. */
export function rewardOutputFields(prefix = ''): PlainOutputField[] {
  return fields(prefix, [
    ['id', 'Reward ID'],
    ['campaign_id', 'Campaign ID'],
    ['participant_id', 'Recipient Participant ID'],
    ['referral_id', 'Referral ID (the referred participant)'],
    ['rule_id', 'Reward Rule ID'],
    ['recipient', 'Recipient (referrer or friend)'],
    ['kind', 'Kind (credit, coupon, cash or custom)'],
    ['amount', 'Amount (minor units, e.g. cents)', 'integer'],
    ['currency', 'Currency'],
    ['percent_off', 'Percent Off', 'integer'],
    ['description', 'Description'],
    ['status', 'Status (pending, approved, delayed, declined or issued)'],
    ['approval', 'Approval (auto or manual)'],
    ['release_at', 'Release At', 'datetime'],
    ['reason', 'Reason'],
    ['issued_at', 'Issued At', 'datetime'],
    ['external_id', 'External ID'],
    ['reward_code', 'Reward Code'],
    ['last_error', 'Last Error'],
    ['created_at', 'Created At', 'datetime'],
    ['updated_at', 'Updated At', 'datetime'],
  ]);
}

/** The conversion resource. */
export function conversionOutputFields(prefix = ''): PlainOutputField[] {
  return fields(prefix, [
    ['id', 'Conversion ID'],
    ['campaign_id', 'Campaign ID'],
    ['participant_id', 'Participant ID'],
    ['event', 'Event'],
    ['amount', 'Amount (minor units, e.g. cents)', 'integer'],
    ['currency', 'Currency'],
    ['transaction_id', 'Transaction ID'],
    ['source', 'Source (api, snippet, stripe, a CRM …)'],
    ['created_at', 'Tracked At', 'datetime'],
  ]);
}

/** The envelope around every delivered or listed event. */
export const eventOutputFields: PlainOutputField[] = fields('', [
  ['id', 'Event ID'],
  ['type', 'Event Type'],
  ['created_at', 'Event Time', 'datetime'],
  ['workspace_id', 'Workspace ID'],
  ['campaign_id', 'Campaign ID'],
]);
