import conversionTracked from '../samples/conversion.tracked.json';
import participantCreated from '../samples/participant.created.json';
import referralQualified from '../samples/referral.qualified.json';
import referralUnqualified from '../samples/referral.unqualified.json';
import rewardApproved from '../samples/reward.approved.json';
import rewardCreated from '../samples/reward.created.json';
import rewardDeclined from '../samples/reward.declined.json';
import rewardIssued from '../samples/reward.issued.json';

/* Samples of the creates and searches, cut from the hub's event samples so they stay in step with the API. */

/** An event's `data` without the referrer summary the events add: the plain resource. */
function resourceOf(event: { data: Record<string, unknown> }): Record<string, unknown> {
  const { referrer: _referrer, ...resource } = event.data;
  return resource;
}

export const participantSample = resourceOf(participantCreated);
export const rewardSample = resourceOf(rewardCreated);
export const approvedRewardSample = resourceOf(rewardApproved);
export const declinedRewardSample = resourceOf(rewardDeclined);
export const issuedRewardSample = resourceOf(rewardIssued);
export const conversionSample = resourceOf(conversionTracked);
export const qualifiedReferralSample = { ...resourceOf(referralQualified), changed: true, rewards: [rewardSample] };
export const unqualifiedReferralSample = {
  ...resourceOf(referralUnqualified),
  changed: true,
  rewards: [declinedRewardSample],
};
