import type { RouteSpec } from '../route';
import { campaignRoutes } from './v1/campaigns';
import { conversionRoutes } from './v1/conversions';
import { eventRoutes } from './v1/events';
import { integrationDefaultsRoutes } from './v1/integration-defaults';
import { integrationRoutes } from './v1/integrations';
import { importRoutes } from './v1/imports';
import { meRoutes } from './v1/me';
import { participationRoutes } from './v1/participation';
import { participantRoutes } from './v1/participants';
import { referralRoutes } from './v1/referrals';
import { rewardRoutes } from './v1/rewards';
import { webhookRoutes } from './v1/webhooks';

/** Every declared API route, in the order they are mounted and documented. */
export const apiRoutes: RouteSpec[] = [...meRoutes, ...campaignRoutes, ...participantRoutes, ...participationRoutes, ...referralRoutes, ...rewardRoutes, ...conversionRoutes, ...importRoutes, ...webhookRoutes, ...eventRoutes, ...integrationRoutes, ...integrationDefaultsRoutes];
