import type { PlainInputField } from 'zapier-platform-core';

/* Input fields several steps share. */

/** The campaign dropdown (ids from the hub's campaign list). */
export function campaignInputField(required: boolean, helpText: string): PlainInputField {
  return { key: 'campaign_id', label: 'Campaign', required, dynamic: 'campaign_list.id.name', helpText };
}

/** Free text for the audit trail of a status change. */
export const reasonInputField: PlainInputField = {
  key: 'reason',
  label: 'Reason',
  helpText: 'Why, in a few words (kept in the history, e.g. "Deal won in Pipedrive").',
};

/** A reward picked from the dropdown or mapped from an earlier step. */
export const rewardInputField: PlainInputField = {
  key: 'reward_id',
  label: 'Reward',
  required: true,
  dynamic: 'reward_list.id.label',
  search: 'find_reward.id',
  helpText: 'The reward, usually mapped from a Reward Created trigger or a Find Reward step (its ID starts with `rwd_`).',
};
