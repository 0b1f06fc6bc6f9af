import type { INodeProperties } from 'n8n-workflow';
import { throwOnHubError } from '../../shared/errors';
import { paginateByCursor, unwrapPage } from '../../shared/pagination';
import { campaignGetDescription } from './get';
import { campaignGetManyDescription } from './getAll';
import { campaignGetStatsDescription } from './getStats';

const campaignUrl = '=/v1/campaigns/{{ encodeURIComponent($parameter.campaignId) }}';

export const campaignDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['campaign'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a campaign',
				description: 'Get the settings of one referral program',
				routing: {
					request: { method: 'GET', url: campaignUrl },
					output: { postReceive: [throwOnHubError] },
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many campaigns',
				description: 'List referral programs, newest first',
				routing: {
					request: { method: 'GET', url: '/v1/campaigns' },
					operations: { pagination: paginateByCursor },
					output: { postReceive: [throwOnHubError, unwrapPage] },
				},
			},
			{
				name: 'Get Stats',
				value: 'getStats',
				action: 'Get campaign stats',
				description: 'Clicks, sign-ups, qualified referrals, conversions and rewards of a campaign',
				routing: {
					request: { method: 'GET', url: `${campaignUrl}/stats` },
					output: { postReceive: [throwOnHubError] },
				},
			},
		],
		default: 'getAll',
	},
	...campaignGetDescription,
	...campaignGetManyDescription,
	...campaignGetStatsDescription,
];
