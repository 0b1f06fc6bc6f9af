import type { INodeProperties } from 'n8n-workflow';
import { listControls } from '../../shared/descriptions';

const show = { resource: ['reward'], operation: ['getAll'] };

export const rewardGetManyDescription: INodeProperties[] = [
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
				displayName: 'Campaign Name or ID',
				name: 'campaignId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getCampaigns' },
				default: '',
				description:
					'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				routing: { send: { type: 'query', property: 'campaign_id' } },
			},
			{
				displayName: 'Participant ID',
				name: 'participantId',
				type: 'string',
				default: '',
				description: 'Only rewards this participant receives',
				routing: { send: { type: 'query', property: 'participant_id' } },
			},
			{
				displayName: 'Status',
				name: 'status',
				type: 'options',
				default: 'pending',
				options: [
					{ name: 'Approved', value: 'approved', description: 'Due, waiting to be issued' },
					{ name: 'Declined', value: 'declined' },
					{ name: 'Delayed', value: 'delayed', description: 'Held until its release date' },
					{ name: 'Issued', value: 'issued' },
					{ name: 'Pending', value: 'pending', description: 'Waiting for a person to approve it' },
				],
				routing: { send: { type: 'query', property: 'status' } },
			},
		],
	},
];
