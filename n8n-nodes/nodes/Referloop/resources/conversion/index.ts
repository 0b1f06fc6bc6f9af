import type { INodeProperties } from 'n8n-workflow';
import { throwOnHubError } from '../../shared/errors';
import { conversionTrackDescription } from './track';

export const conversionDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversion'] } },
		options: [
			{
				name: 'Track',
				value: 'track',
				action: 'Track a conversion',
				description: "Record a business event (purchase, booking, subscription…) of a participant; it may qualify their referral by the campaign's goal",
				routing: {
					request: { method: 'POST', url: '/v1/conversions' },
					output: { postReceive: [throwOnHubError] },
				},
			},
		],
		default: 'track',
	},
	...conversionTrackDescription,
];
