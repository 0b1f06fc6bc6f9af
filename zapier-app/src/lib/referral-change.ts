import type { Bundle, PlainOutputField, ZObject } from 'zapier-platform-core';
import { participantOutputFields } from './fields';
import { callHub } from './hub';
import { qualifyResultSchema } from './resources';

/** Which referral: by its own code, or by email within a campaign (the hub's selector). */
export type ReferralSelector = { code: string } | { email: string; campaign_id: string };

export interface ChangeOptions {
  reason?: string;
  idempotency_key?: string;
}

/**
 * POST /v1/referrals/qualify|unqualify. Already in that status is not an error: the hub answers
 * `changed: false` with the referral as it is, and the Zap carries on with that.
 */
export async function changeReferral(
  z: ZObject,
  bundle: Bundle,
  action: 'qualify' | 'unqualify',
  selector: ReferralSelector,
  options: ChangeOptions,
) {
  const result = await callHub(z, bundle, qualifyResultSchema, {
    method: 'POST',
    path: `/v1/referrals/${action}`,
    body: { ...selector, ...options },
  });
  return { ...result.referral, changed: result.changed, rewards: result.rewards };
}

/** What a qualify/unqualify step returns: the referral, whether it changed, and the rewards touched. */
export const referralChangeOutputFields: PlainOutputField[] = [
  ...participantOutputFields(),
  { key: 'changed', label: 'Changed (false when it already had this status)', type: 'boolean' },
  { key: 'rewards[]id', label: 'Reward IDs' },
  { key: 'rewards[]status', label: 'Reward Statuses' },
  { key: 'rewards[]amount', label: 'Reward Amounts (minor units)' },
  { key: 'rewards[]currency', label: 'Reward Currencies' },
  { key: 'rewards[]recipient', label: 'Reward Recipients' },
];
