import { NodeConnectionTypes, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { getCampaigns } from './methods/getCampaigns';
import { campaignDescription } from './resources/campaign';
import { conversionDescription } from './resources/conversion';
import { participantDescription } from './resources/participant';
import { referralDescription } from './resources/referral';
import { rewardDescription } from './resources/reward';

/**
 * The Referloop action node. Declarative: each operation is routing data, run by n8n's routing
 * engine; code appears only where routing has no word for it (cursor pagination, problem+json
 * errors, email lookup, JSON metadata, the campaign picker).
 */
export class Referloop implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Referloop',
		name: 'referloop',
		icon: { light: 'file:../../icons/referloop.svg', dark: 'file:../../icons/referloop.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Add participants, qualify referrals, track conversions and review rewards in Referloop',
		defaults: { name: 'Referloop' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'referloopApi', required: true }],
		requestDefaults: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
			json: true,
			// Hub errors are problem+json; throwOnHubError turns them into NodeApiError with the detail.
			ignoreHttpStatusErrors: true,
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Campaign', value: 'campaign' },
					{ name: 'Conversion', value: 'conversion' },
					{ name: 'Participant', value: 'participant' },
					{ name: 'Referral', value: 'referral' },
					{ name: 'Reward', value: 'reward' },
				],
				default: 'participant',
			},
			...participantDescription,
			...referralDescription,
			...conversionDescription,
			...rewardDescription,
			...campaignDescription,
		],
	};

	methods = {
		loadOptions: { getCampaigns },
	};
}
