import type { INodeProperties } from 'n8n-workflow';
import { qualificationOptions } from '../../shared/descriptions';

const show = { resource: ['referral'], operation: ['qualifyWithCode'] };

export const referralQualifyWithCodeDescription: INodeProperties[] = [
	{
		displayName: 'Referral Code',
		name: 'code',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. JANE-7K2Q',
		description: "The referred participant's own code, or their referrer's code as the CRM stored it",
		displayOptions: { show },
		routing: { send: { type: 'body', property: 'code' } },
	},
	qualificationOptions(show),
];
