import type { INodeProperties } from 'n8n-workflow';
import { listControls } from '../../shared/descriptions';

const show = { resource: ['campaign'], operation: ['getAll'] };

export const campaignGetManyDescription: INodeProperties[] = [
	...listControls(show),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'live',
				options: [
					{ name: 'Draft', value: 'draft' },
					{ name: 'Ended', value: 'ended' },
					{ name: 'Live', value: 'live' },
					{ name: 'Paused', value: 'paused' },
				],
				routing: { send: { type: 'query', property: 'status' } },
			},
		],
	},
];
