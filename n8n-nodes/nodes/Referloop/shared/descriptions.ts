import type { INodeProperties, IDisplayOptions } from 'n8n-workflow';
import { HUB_MAX_PAGE_SIZE } from './pagination';
import { sendJsonObject } from './send';

type Show = NonNullable<IDisplayOptions['show']>;

/**
 * A campaign picker filled from `GET /v1/campaigns`, sent as `campaign_id` in the body or query
 * (or not sent, when the ID goes into the URL path).
 */
export function campaignSelect(show: Show, sendIn?: 'body' | 'query'): INodeProperties {
	return {
		displayName: 'Campaign Name or ID',
		name: 'campaignId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getCampaigns' },
		required: true,
		default: '',
		description:
			'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
		displayOptions: { show },
		...(sendIn ? { routing: { send: { type: sendIn, property: 'campaign_id' } } } : {}),
	};
}

/** Return All / Limit / Page Size for a cursor-paginated list. */
export function listControls(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: { show },
			routing: { send: { paginate: '={{ $value }}' } },
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: HUB_MAX_PAGE_SIZE },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
			routing: {
				send: { type: 'query', property: 'limit' },
				output: { maxResults: '={{ $value }}' },
			},
		},
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: HUB_MAX_PAGE_SIZE },
			default: HUB_MAX_PAGE_SIZE,
			description: 'How many records each request to Referloop fetches while returning all',
			displayOptions: { show: { ...show, returnAll: [true] } },
		},
	];
}

/** A `metadata` JSON field inside a collection (`additionalFields.metadata`, `updateFields.metadata`). */
export function metadataField(collection: string): INodeProperties {
	return {
		displayName: 'Metadata (JSON)',
		name: 'metadata',
		type: 'json',
		default: '{}',
		description: 'Your own key/value data, e.g. {"plan": "pro"}; values are strings, numbers, booleans or null',
		routing: { send: { preSend: [sendJsonObject(`${collection}.metadata`, 'metadata')] } },
	};
}

const qualificationSources = [
	['API', 'api'],
	['Code', 'code'],
	['Conversion', 'conversion'],
	['CSV', 'csv'],
	['HubSpot', 'hubspot'],
	['Inbound Webhook', 'inbound_webhook'],
	['Manual', 'manual'],
	['Pipedrive', 'pipedrive'],
	['Salesforce', 'salesforce'],
	['Stripe', 'stripe'],
] as const;

/** Reason, source and idempotency key of a qualification change. */
export function qualificationOptions(show: Show): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'A key that makes retries safe, e.g. the CRM deal ID: the same key never changes the referral twice',
				routing: { send: { type: 'body', property: 'idempotency_key' } },
			},
			{
				displayName: 'Reason',
				name: 'reason',
				type: 'string',
				default: '',
				description: 'Why the status changes, kept on the referral timeline',
				routing: { send: { type: 'body', property: 'reason' } },
			},
			{
				displayName: 'Source',
				name: 'source',
				type: 'options',
				default: 'api',
				description: 'Where the business outcome was seen',
				options: qualificationSources.map(([name, value]) => ({ name, value })),
				routing: { send: { type: 'body', property: 'source' } },
			},
		],
	};
}
