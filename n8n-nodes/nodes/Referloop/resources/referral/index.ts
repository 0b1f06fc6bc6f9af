import type { INodeProperties } from 'n8n-workflow';
import { throwOnHubError } from '../../shared/errors';
import { referralQualifyByEmailDescription } from './qualifyByEmail';
import { referralQualifyWithCodeDescription } from './qualifyWithCode';
import { referralUnqualifyDescription } from './unqualify';

export const referralDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['referral'] } },
		options: [
			{
				name: 'Qualify by Email',
				value: 'qualifyByEmail',
				action: 'Qualify a referral by email',
				description: "Mark the referred participant with this email in a campaign as qualified; rewards are created by the campaign's rules",
				routing: {
					request: { method: 'POST', url: '/v1/referrals/qualify' },
					output: { postReceive: [throwOnHubError] },
				},
			},
			{
				name: 'Qualify With Code',
				value: 'qualifyWithCode',
				action: 'Qualify a referral with its code',
				description: "Mark the referral with this code (the one your CRM kept) as qualified; rewards are created by the campaign's rules",
				routing: {
					request: { method: 'POST', url: '/v1/referrals/qualify' },
					output: { postReceive: [throwOnHubError] },
				},
			},
			{
				name: 'Unqualify',
				value: 'unqualify',
				action: 'Unqualify a referral',
				description: 'Reverse a qualification (refund, deal lost); rewards not yet issued are voided',
				routing: {
					request: { method: 'POST', url: '/v1/referrals/unqualify' },
					output: { postReceive: [throwOnHubError] },
				},
			},
		],
		default: 'qualifyWithCode',
	},
	...referralQualifyWithCodeDescription,
	...referralQualifyByEmailDescription,
	...referralUnqualifyDescription,
];
