import type { INodeProperties } from 'n8n-workflow';
import { campaignSelect, qualificationOptions } from '../../shared/descriptions';

const show = { resource: ['referral'], operation: ['unqualify'] };

export const referralUnqualifyDescription: INodeProperties[] = [
	{
		displayName: 'Find Referral By',
		name: 'findBy',
		type: 'options',
		default: 'code',
		displayOptions: { show },
		options: [
			{ name: 'Referral Code', value: 'code' },
			{ name: 'Email', value: 'email' },
			{ name: 'Participant ID', value: 'participantId' },
		],
	},
	{
		displayName: 'Referral Code',
		name: 'code',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. JANE-7K2Q',
		displayOptions: { show: { ...show, findBy: ['code'] } },
		routing: { send: { type: 'body', property: 'code' } },
	},
	campaignSelect({ ...show, findBy: ['email'] }, 'body'),
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		displayOptions: { show: { ...show, findBy: ['email'] } },
		routing: { send: { type: 'body', property: 'email' } },
	},
	{
		displayName: 'Participant ID',
		name: 'participantId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: { ...show, findBy: ['participantId'] } },
		routing: { send: { type: 'body', property: 'participant_id' } },
	},
	qualificationOptions(show),
];
