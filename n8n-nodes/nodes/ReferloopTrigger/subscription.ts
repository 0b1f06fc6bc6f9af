import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { isDataObject } from '../Referloop/shared/parse';
import { referloopApiRequest } from '../Referloop/shared/transport';

/** What the hub webhook of this trigger must look like: our URL, the chosen events, the campaign. */
interface Subscription {
	url: string;
	events: string[];
	campaignId: string | null;
}

function wantedSubscription(context: IHookFunctions): Subscription {
	const url = context.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(context.getNode(), 'n8n gave this trigger no webhook URL');
	const rawEvents = context.getNodeParameter('events', []);
	const events = Array.isArray(rawEvents) ? rawEvents.filter((e): e is string => typeof e === 'string') : [];
	if (events.length === 0) throw new NodeOperationError(context.getNode(), 'Choose at least one event');
	const campaignId = context.getNodeParameter('campaignId', '');
	return { url, events, campaignId: typeof campaignId === 'string' && campaignId !== '' ? campaignId : null };
}

function sameSubscription(endpoint: IDataObject, wanted: Subscription): boolean {
	const events = Array.isArray(endpoint.events) ? endpoint.events.filter((e) => typeof e === 'string') : [];
	return (
		endpoint.url === wanted.url &&
		endpoint.enabled !== false &&
		(endpoint.campaign_id ?? null) === wanted.campaignId &&
		events.length === wanted.events.length &&
		wanted.events.every((event) => events.includes(event))
	);
}

const isNotFound = (error: unknown) => error instanceof NodeApiError && error.httpCode === '404';

function forget(staticData: IDataObject) {
	delete staticData.webhookId;
	delete staticData.webhookSecret;
}

async function removeAtHub(context: IHookFunctions, webhookId: string) {
	try {
		await referloopApiRequest.call(context, 'DELETE', `/v1/webhooks/${encodeURIComponent(webhookId)}`);
	} catch (error) {
		if (!isNotFound(error)) throw error;
	}
}

/**
 * The hub webhook this node registered still exists with the same URL, events and campaign.
 * One that was disabled, deleted or made for older settings is removed, so `create` starts clean.
 */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const webhookId = staticData.webhookId;
	if (typeof webhookId !== 'string') return false;
	let endpoint: unknown;
	try {
		endpoint = await referloopApiRequest.call(this, 'GET', `/v1/webhooks/${encodeURIComponent(webhookId)}`);
	} catch (error) {
		if (!isNotFound(error)) throw error;
		forget(staticData);
		return false;
	}
	if (isDataObject(endpoint) && typeof staticData.webhookSecret === 'string' && sameSubscription(endpoint, wantedSubscription(this))) {
		return true;
	}
	await removeAtHub(this, webhookId);
	forget(staticData);
	return false;
}

/** Register a hub webhook for this workflow's URL; keep its id and signing secret in static data. */
export async function create(this: IHookFunctions): Promise<boolean> {
	const wanted = wantedSubscription(this);
	const workflow = this.getWorkflow();
	const body: IDataObject = {
		url: wanted.url,
		events: wanted.events,
		description: `n8n: ${workflow.name ?? workflow.id ?? 'workflow'} → ${this.getNode().name}`.slice(0, 200),
		...(wanted.campaignId ? { campaign_id: wanted.campaignId } : {}),
	};
	const endpoint = await referloopApiRequest.call(this, 'POST', '/v1/webhooks', body);
	if (!isDataObject(endpoint) || typeof endpoint.id !== 'string' || typeof endpoint.secret !== 'string') {
		throw new NodeOperationError(this.getNode(), 'Referloop did not answer the new webhook with its id and secret');
	}
	const staticData = this.getWorkflowStaticData('node');
	staticData.webhookId = endpoint.id;
	staticData.webhookSecret = endpoint.secret;
	return true;
}

/** Remove the hub webhook on deactivation; one already gone at the hub counts as removed. */
export async function deleteWebhook(this: IHookFunctions): Promise<boolean> {
	const staticData = this.getWorkflowStaticData('node');
	const webhookId = staticData.webhookId;
	if (typeof webhookId === 'string') await removeAtHub(this, webhookId);
	forget(staticData);
	return true;
}
