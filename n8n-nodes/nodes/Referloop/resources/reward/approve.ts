import type { INodeProperties } from 'n8n-workflow';

const show = { resource: ['reward'], operation: ['approve'] };

export const rewardApproveDescription: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				description: 'Kept on the reward and its timeline',
				routing: { send: { type: 'body', property: 'reason' } },
			},
		],
	},
];
