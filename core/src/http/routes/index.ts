import type { RouteSpec } from '../route';
import { campaignRoutes } from './v1/campaigns';
import { meRoutes } from './v1/me';
import { participantRoutes } from './v1/participants';
import { referralRoutes } from './v1/referrals';
import { rewardRoutes } from './v1/rewards';

/** Every declared API route, in the order they are mounted and documented. */
export const apiRoutes: RouteSpec[] = [...meRoutes, ...campaignRoutes, ...participantRoutes, ...referralRoutes, ...rewardRoutes];
