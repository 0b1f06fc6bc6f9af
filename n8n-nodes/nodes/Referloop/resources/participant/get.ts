import type {
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { campaignSelect } from '../../shared/descriptions';
import { readPage } from '../../shared/parse';

const show = { resource: ['participant'], operation: ['get'] };

/** Email lookups go through the list route; exactly one participant, or a 404 like the ID lookup. */
async function pickParticipantByEmail(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const page = readPage(response.body);
	if (!page) {
		throw new NodeOperationError(this.getNode(), 'Referloop answered a list without a data array', {
			itemIndex: this.getItemIndex(),
		});
	}
	const [participant] = page.data;
	if (!participant) {
		const email = String(this.getNodeParameter('email'));
		throw new NodeApiError(
			this.getNode(),
			{ status: 404, title: 'Not Found' },
			{
				message: 'Not Found',
				description: `No participant with email '${email}' in this campaign`,
				httpCode: '404',
				itemIndex: this.getItemIndex(),
			},
		);
	}
	return [{ json: participant }];
}

export const participantGetDescription: INodeProperties[] = [
	{
		displayName: 'Get By',
		name: 'getBy',
		type: 'options',
		default: 'idOrCode',
		displayOptions: { show },
		options: [
			{
				name: 'ID or Referral Code',
				value: 'idOrCode',
				routing: {
					request: {
						method: 'GET',
						url: '=/v1/participants/{{ encodeURIComponent($parameter.participant) }}',
					},
				},
			},
			{
				name: 'Email',
				value: 'email',
				routing: {
					request: { method: 'GET', url: '/v1/participants', qs: { limit: 1 } },
					output: { postReceive: [pickParticipantByEmail] },
				},
			},
		],
	},
	{
		displayName: 'Participant ID or Code',
		name: 'participant',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. JANE-7K2Q',
		description: 'The participant ID or their referral code',
		displayOptions: { show: { ...show, getBy: ['idOrCode'] } },
	},
	campaignSelect({ ...show, getBy: ['email'] }, 'query'),
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		displayOptions: { show: { ...show, getBy: ['email'] } },
		routing: { send: { type: 'query', property: 'email' } },
	},
];
