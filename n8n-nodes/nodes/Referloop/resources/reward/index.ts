import type { INodeProperties } from 'n8n-workflow';
import { throwOnHubError } from '../../shared/errors';
import { paginateByCursor, unwrapPage } from '../../shared/pagination';
import { rewardApproveDescription } from './approve';
import { rewardDeclineDescription } from './decline';
import { rewardGetManyDescription } from './getAll';
import { rewardIssueDescription } from './issue';

const rewardUrl = (action: string) => `=/v1/rewards/{{ encodeURIComponent($parameter.rewardId) }}/${action}`;

export const rewardDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['reward'] } },
		options: [
			{
				name: 'Approve',
				value: 'approve',
				action: 'Approve a reward',
				description: 'Approve a pending reward, or release a delayed one now',
				routing: {
					request: { method: 'POST', url: rewardUrl('approve') },
					output: { postReceive: [throwOnHubError] },
				},
			},
			{
				name: 'Decline',
				value: 'decline',
				action: 'Decline a reward',
				description: 'Decline a reward that is not issued yet',
				routing: {
					request: { method: 'POST', url: rewardUrl('decline') },
					output: { postReceive: [throwOnHubError] },
				},
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many rewards',
				description: 'List rewards, newest first, e.g. those waiting for approval',
				routing: {
					request: { method: 'GET', url: '/v1/rewards' },
					operations: { pagination: paginateByCursor },
					output: { postReceive: [throwOnHubError, unwrapPage] },
				},
			},
			{
				name: 'Mark as Issued',
				value: 'issue',
				action: 'Mark a reward as issued',
				description: 'Record that an approved reward was paid out or handed over',
				routing: {
					request: { method: 'POST', url: rewardUrl('issue') },
					output: { postReceive: [throwOnHubError] },
				},
			},
		],
		default: 'getAll',
	},
	{
		displayName: 'Reward ID',
		name: 'rewardId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { resource: ['reward'], operation: ['approve', 'decline', 'issue'] } },
	},
	...rewardGetManyDescription,
	...rewardApproveDescription,
	...rewardDeclineDescription,
	...rewardIssueDescription,
];
