import type { INodeProperties } from 'n8n-workflow';
import { listControls } from '../../shared/descriptions';

const show = { resource: ['participant'], operation: ['getAll'] };

export const participantGetManyDescription: INodeProperties[] = [
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
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				routing: { send: { type: 'query', property: 'email' } },
			},
			{
				displayName: 'Referral Code',
				name: 'code',
				type: 'string',
				default: '',
				routing: { send: { type: 'query', property: 'code' } },
			},
			{
				displayName: 'Referral Status',
				name: 'referralStatus',
				type: 'options',
				default: 'pending',
				options: [
					{ name: 'Flagged', value: 'flagged', description: 'Held by a fraud check for review' },
					{ name: 'Pending', value: 'pending' },
					{ name: 'Qualified', value: 'qualified' },
					{ name: 'Unqualified', value: 'unqualified' },
				],
				routing: { send: { type: 'query', property: 'referral_status' } },
			},
			{
				displayName: 'Type',
				name: 'type',
				type: 'options',
				default: 'referred',
				options: [
					{ name: 'Direct', value: 'direct', description: 'Joined by themselves' },
					{ name: 'Imported', value: 'imported', description: 'From a CSV or CRM sync' },
					{ name: 'Referred', value: 'referred', description: "Came through someone's link or code" },
				],
				routing: { send: { type: 'query', property: 'type' } },
			},
		],
	},
];
