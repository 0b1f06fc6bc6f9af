import type { Request } from 'express';
import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { getCampaigns } from '../Referloop/methods/getCampaigns';
import { readEventEnvelope } from './envelope';
import { referloopEvents } from './events';
import { verifyReferloopSignature } from './signature';
import { checkExists, create, deleteWebhook } from './subscription';

/** The bytes the hub signed: n8n keeps them as `rawBody` when it parses a webhook request. */
async function readRawBody(request: Request): Promise<Buffer> {
	if (!Buffer.isBuffer(request.rawBody) && typeof request.readRawBody === 'function') await request.readRawBody();
	return Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
}

function refuse(context: IWebhookFunctions, status: number, reason: string): IWebhookResponseData {
	context.getResponseObject().status(status).json({ error: reason });
	return { noWebhookResponse: true };
}

/**
 * Starts a workflow on Referloop events. Activation registers a hub webhook at this workflow's
 * URL (see subscription.ts); each delivery must carry a valid Referloop-Signature.
 */
// A webhook trigger starts workflows; there is no input an AI agent could call it with as a tool.
// eslint-disable-next-line @n8n/community-nodes/node-usable-as-tool
export class ReferloopTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Referloop Trigger',
		name: 'referloopTrigger',
		icon: { light: 'file:../../icons/referloop.svg', dark: 'file:../../icons/referloop.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when referrals, conversions or rewards change in Referloop',
		defaults: { name: 'Referloop Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'referloopApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [],
				description: 'The events that start the workflow',
				options: referloopEvents,
			},
			{
				displayName: 'Campaign Name or ID',
				name: 'campaignId',
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getCampaignFilter' },
				default: '',
				description:
					'Only events of this campaign, or of all campaigns. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
		],
	};

	methods = {
		loadOptions: {
			async getCampaignFilter(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return [{ name: 'All Campaigns', value: '' }, ...(await getCampaigns.call(this))];
			},
		},
	};

	webhookMethods = {
		default: { checkExists, create, delete: deleteWebhook },
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const secret = this.getWorkflowStaticData('node').webhookSecret;
		if (typeof secret !== 'string' || secret === '') {
			return refuse(this, 401, 'This trigger holds no signing secret; deactivate and activate the workflow again');
		}
		const request = this.getRequestObject();
		const rawBody = await readRawBody(request);
		const check = verifyReferloopSignature(request.headers['referloop-signature'], rawBody, secret, Date.now());
		if (!check.valid) return refuse(this, 401, check.reason);
		const envelope: IDataObject | undefined = readEventEnvelope(rawBody);
		if (!envelope) return refuse(this, 400, 'The body is not a Referloop event');
		return { workflowData: [this.helpers.returnJsonArray(envelope)] };
	}
}
