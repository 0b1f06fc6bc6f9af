import type { INodeProperties } from 'n8n-workflow';
import { campaignSelect, qualificationOptions } from '../../shared/descriptions';

const show = { resource: ['referral'], operation: ['qualifyByEmail'] };

export const referralQualifyByEmailDescription: INodeProperties[] = [
	campaignSelect(show, 'body'),
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'Email address of the referred participant',
		displayOptions: { show },
		routing: { send: { type: 'body', property: 'email' } },
	},
	qualificationOptions(show),
];
