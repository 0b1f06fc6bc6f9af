import type { INodeProperties } from 'n8n-workflow';
import { campaignSelect, metadataField } from '../../shared/descriptions';

const show = { resource: ['participant'], operation: ['create'] };

export const participantCreateDescription: INodeProperties[] = [
	campaignSelect(show, 'body'),
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'Email address of the participant',
		displayOptions: { show },
		routing: { send: { type: 'body', property: 'email' } },
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
				displayName: 'Click ID',
				name: 'clickId',
				type: 'string',
				default: '',
				description: 'The rl_click value from the landing URL or cookie, to attribute the sign-up to a click',
				routing: { send: { type: 'body', property: 'click_id' } },
			},
			{
				displayName: 'External ID',
				name: 'externalId',
				type: 'string',
				default: '',
				description: 'Your ID for this person (CRM or app user ID)',
				routing: { send: { type: 'body', property: 'external_id' } },
			},
			{
				displayName: 'First Name',
				name: 'firstName',
				type: 'string',
				default: '',
				routing: { send: { type: 'body', property: 'first_name' } },
			},
			{
				displayName: 'IP Address',
				name: 'ipAddress',
				type: 'string',
				default: '',
				description: "The sign-up's IP address, for the same-IP fraud check",
				routing: { send: { type: 'body', property: 'ip_address' } },
			},
			{
				displayName: 'Last Name',
				name: 'lastName',
				type: 'string',
				default: '',
				routing: { send: { type: 'body', property: 'last_name' } },
			},
			metadataField('additionalFields'),
			{
				displayName: 'Referrer Code',
				name: 'referrerCode',
				type: 'string',
				default: '',
				description: 'The referral code of whoever referred this person; makes the participant a referral',
				routing: { send: { type: 'body', property: 'referrer_code' } },
			},
			{
				displayName: 'Vanity Code',
				name: 'code',
				type: 'string',
				default: '',
				description: "The participant's own referral code (3–32 letters, digits or dashes); assigned when empty",
				routing: { send: { type: 'body', property: 'code' } },
			},
		],
	},
];
