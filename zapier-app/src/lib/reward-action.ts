import type { Bundle, ZObject } from 'zapier-platform-core';
import { callHub } from './hub';
import { rewardSchema } from './resources';

/**
 * POST /v1/rewards/{id}/approve|decline|issue. A change the reward's status does not allow
 * (issuing a declined reward…) comes back as the hub's 409, which names the current status.
 */
export async function moveReward(
  z: ZObject,
  bundle: Bundle,
  rewardId: string,
  action: 'approve' | 'decline' | 'issue',
  body: Record<string, string | undefined>,
) {
  return callHub(z, bundle, rewardSchema, {
    method: 'POST',
    path: `/v1/rewards/${encodeURIComponent(rewardId)}/${action}`,
    body,
  });
}
