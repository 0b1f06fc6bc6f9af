import type { INodeProperties } from 'n8n-workflow';

const show = { resource: ['reward'], operation: ['issue'] };

export const rewardIssueDescription: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				description: 'ID of the payout or credit in your system',
				routing: { send: { type: 'body', property: 'external_id' } },
			},
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				routing: { send: { type: 'body', property: 'reason' } },
			},
			{
				displayName: 'Reward Code',
				name: 'rewardCode',
				type: 'string',
				default: '',
				description: 'Coupon or gift code handed out',
				routing: { send: { type: 'body', property: 'reward_code' } },
			},
		],
	},
];
