import type { INodeProperties } from 'n8n-workflow';
import { metadataField } from '../../shared/descriptions';

const show = { resource: ['conversion'], operation: ['track'] };

export const conversionTrackDescription: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'string',
		required: true,
		default: 'purchase',
		placeholder: 'e.g. purchase',
		description: 'Name of the business event; a campaign goal names the event that qualifies a referral',
		displayOptions: { show },
		routing: { send: { type: 'body', property: 'event' } },
	},
	{
		displayName: 'Identify Participant By',
		name: 'identifyBy',
		type: 'options',
		default: 'email',
		displayOptions: { show },
		options: [
			{ name: 'Click ID', value: 'click_id', description: 'The rl_click value from the landing URL or cookie' },
			{ name: 'Email', value: 'email' },
			{ name: 'Participant ID', value: 'participant_id' },
			{ name: 'Referral Code', value: 'code' },
		],
	},
	{
		displayName: 'Value',
		name: 'identifier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. name@email.com',
		description: 'The email, referral code, click ID or participant ID, as chosen above',
		displayOptions: { show },
		routing: { send: { type: 'body', property: '={{ $parameter.identifyBy }}' } },
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Amount (Minor Units)',
				name: 'amount',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 0,
				description: 'Value in the smallest currency unit, e.g. 4999 for 49.99 USD',
				routing: { send: { type: 'body', property: 'amount' } },
			},
			{
				displayName: 'Campaign Name or ID',
				name: 'campaignId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getCampaigns' },
				default: '',
				description:
					'Narrows an email to one campaign when the person joined several. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				routing: { send: { type: 'body', property: 'campaign_id' } },
			},
			{
				displayName: 'Currency',
				name: 'currency',
				type: 'string',
				default: 'USD',
				placeholder: 'e.g. USD',
				description: 'Three-letter ISO currency code; required with an amount',
				routing: { send: { type: 'body', property: 'currency' } },
			},
			metadataField('additionalFields'),
			{
				displayName: 'Transaction ID',
				name: 'transactionId',
				type: 'string',
				default: '',
				description: 'Your order or invoice ID; the same ID is never counted twice',
				routing: { send: { type: 'body', property: 'transaction_id' } },
			},
		],
	},
];
