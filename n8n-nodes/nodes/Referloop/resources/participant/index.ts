import type { INodeProperties } from 'n8n-workflow';
import { throwOnHubError } from '../../shared/errors';
import { paginateByCursor, unwrapPage } from '../../shared/pagination';
import { participantCreateDescription } from './create';
import { participantGetDescription } from './get';
import { participantGetManyDescription } from './getAll';
import { participantUpdateDescription } from './update';

export const participantDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['participant'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a participant',
				description: 'Add someone to a campaign (a referred friend when a referrer code is given); an email already in the campaign returns that participant',
				routing: {
					request: { method: 'POST', url: '/v1/participants' },
					output: { postReceive: [throwOnHubError] },
				},
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a participant',
				description: 'Get one participant by ID, referral code or email',
				routing: { output: { postReceive: [throwOnHubError] } },
			},
			{
				name: 'Get Many',
				value: 'getAll',
				action: 'Get many participants',
				description: 'List participants, newest first, with filters',
				routing: {
					request: { method: 'GET', url: '/v1/participants' },
					operations: { pagination: paginateByCursor },
					output: { postReceive: [throwOnHubError, unwrapPage] },
				},
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a participant',
				description: "Change a participant's email, name, external ID or metadata",
				routing: {
					request: {
						method: 'PATCH',
						url: '=/v1/participants/{{ encodeURIComponent($parameter.participantId) }}',
					},
					output: { postReceive: [throwOnHubError] },
				},
			},
		],
		default: 'create',
	},
	...participantCreateDescription,
	...participantGetDescription,
	...participantGetManyDescription,
	...participantUpdateDescription,
];
