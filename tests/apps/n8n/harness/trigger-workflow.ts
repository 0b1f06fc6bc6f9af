import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { HookContext, WebhookContext } from 'n8n-core';
import { NodeHelpers, Workflow, type IDataObject, type INode, type IWebhookData, type WorkflowActivateMode } from 'n8n-workflow';
import { createAdditionalData } from './additional-data';
import { runFrom, type HarnessEnv, type NodeRun } from './run-workflow';

/** One request that reached the workflow's webhook URL, and the execution it started (if any). */
export interface Delivery {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	run?: NodeRun;
}

export interface TriggerWorkflow {
	node: INode;
	/** The production webhook URL n8n gives the trigger. */
	webhookUrl: string;
	/** The node's static data as n8n would persist it with the workflow. */
	staticData(): IDataObject;
	/** Workflow activation: `checkExists`, then `create` when needed (n8n's WebhookService order). */
	activate(activation?: WorkflowActivateMode): Promise<void>;
	deactivate(): Promise<void>;
	/** What n8n does on a restart: a new Workflow object from the saved JSON, static data included. */
	reload(parameters?: INode['parameters']): void;
	nextDelivery(timeoutMs?: number): Promise<Delivery>;
	deliveries: Delivery[];
	close(): Promise<void>;
}

/**
 * A workflow whose start node is the Referloop Trigger, served the way n8n serves production
 * webhooks: `POST /webhook/<webhookId>/<path>` keeps the raw body next to the parsed JSON, calls
 * the node's `webhook()` in a WebhookContext, and when it answers workflow data, answers 200 and
 * runs the workflow from the trigger with WorkflowExecute.
 */
export async function startTriggerWorkflow(env: HarnessEnv, parameters: INode['parameters']): Promise<TriggerWorkflow> {
	const app = express();
	const server = app.listen(0, '127.0.0.1');
	await new Promise<void>((resolve) => server.once('listening', () => resolve()));
	const { port } = server.address() as AddressInfo;
	const webhookBaseUrl = `http://127.0.0.1:${port}/webhook`;

	const node: INode = {
		id: randomUUID(),
		name: 'Referloop Trigger',
		type: `${env.pkg.packageName}.referloopTrigger`,
		typeVersion: 1,
		position: [0, 0],
		webhookId: randomUUID(),
		parameters,
		credentials: { referloopApi: { id: 'cred-1', name: 'Referloop account' } },
	};
	const workflowId = `wf-${randomUUID()}`;
	const makeWorkflow = (nodeParameters: INode['parameters'], staticData: IDataObject) =>
		new Workflow({
			id: workflowId,
			name: 'Referral qualified → thank the referrer',
			nodes: [{ ...node, parameters: nodeParameters }],
			connections: {},
			active: true,
			nodeTypes: env.pkg.nodeTypes,
			staticData,
			settings: { executionOrder: 'v1' },
		});
	let workflow = makeWorkflow(parameters, {});
	const nodeType = env.pkg.nodeTypes.getByNameAndVersion(node.type, node.typeVersion);

	const triggerNode = () => {
		const current = workflow.getNode(node.name);
		if (!current) throw new Error('the workflow lost its trigger');
		return current;
	};
	// What n8n's WebhookService.getNodeWebhooks computes for each webhook the node declares.
	const webhooks = (): IWebhookData[] => {
		const current = triggerNode();
		const additionalData = createAdditionalData({ credentialsHelper: env.credentialsHelper, webhookBaseUrl });
		return (nodeType.description.webhooks ?? []).map((description) => ({
			httpMethod: description.httpMethod === 'POST' ? 'POST' : 'GET',
			node: current.name,
			path: NodeHelpers.getNodeWebhookPath(workflow.id, current, description.path, description.isFullPath === true),
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: additionalData,
			webhookId: current.webhookId,
		}));
	};
	const runWebhookMethod = async (method: 'checkExists' | 'create' | 'delete', activation: WorkflowActivateMode) => {
		const [webhookData] = webhooks();
		const fn = nodeType.webhookMethods?.[webhookData.webhookDescription.name]?.[method];
		if (!fn) throw new Error(`the trigger has no webhookMethods.${method}`);
		const context = new HookContext(workflow, triggerNode(), webhookData.workflowExecuteAdditionalData, 'trigger', activation, webhookData);
		return await fn.call(context);
	};

	const deliveries: Delivery[] = [];
	const waiting: Array<(delivery: Delivery) => void> = [];
	const record = (delivery: Delivery) => {
		deliveries.push(delivery);
		const next = waiting.shift();
		if (next) next(delivery);
		else unclaimed.push(delivery);
	};
	const unclaimed: Delivery[] = [];

	app.post('/webhook/:webhookId/:path', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
		const webhookData = webhooks().find((w) => w.path === `${req.params.webhookId}/${req.params.path}`);
		if (!webhookData) {
			res.status(404).json({ message: 'The requested webhook is not registered' });
			return;
		}
		// n8n's body parser keeps the exact bytes as rawBody and parses JSON into body.
		req.rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
		req.body = req.is('application/json') && req.rawBody.length ? JSON.parse(req.rawBody.toString('utf8')) : {};
		const additionalData = createAdditionalData({ credentialsHelper: env.credentialsHelper, webhookBaseUrl, httpRequest: req, httpResponse: res });
		const context = new WebhookContext(workflow, triggerNode(), additionalData, 'webhook', webhookData, [], null);
		if (!nodeType.webhook) throw new Error('the trigger has no webhook()');
		const response = await nodeType.webhook.call(context);
		if (response.noWebhookResponse) {
			record({ status: res.statusCode, headers: req.headers });
			return;
		}
		res.status(200).json({ message: 'Workflow was started' });
		if (!response.workflowData) {
			record({ status: 200, headers: req.headers });
			return;
		}
		const run = await runFrom(env, workflow, triggerNode(), response.workflowData, 'webhook', webhookBaseUrl);
		record({ status: 200, headers: req.headers, run });
	});

	return {
		node,
		webhookUrl: NodeHelpers.getNodeWebhookUrl(webhookBaseUrl, workflowId, node, 'webhook'),
		staticData: () => JSON.parse(JSON.stringify(workflow.staticData)),
		async activate(activation = 'activate') {
			if (!(await runWebhookMethod('checkExists', activation))) await runWebhookMethod('create', activation);
		},
		async deactivate() {
			await runWebhookMethod('delete', 'activate');
		},
		reload(nextParameters) {
			workflow = makeWorkflow(nextParameters ?? triggerNode().parameters, JSON.parse(JSON.stringify(workflow.staticData)));
		},
		nextDelivery(timeoutMs = 15_000) {
			const ready = unclaimed.shift();
			if (ready) return Promise.resolve(ready);
			return new Promise<Delivery>((resolve, reject) => {
				const timer = setTimeout(() => reject(new Error('no delivery reached the trigger in time')), timeoutMs);
				waiting.push((delivery) => {
					clearTimeout(timer);
					resolve(delivery);
				});
			});
		},
		deliveries,
		close: () =>
			new Promise<void>((resolve, reject) => {
				server.closeAllConnections();
				server.close((error) => (error ? reject(error) : resolve()));
			}),
	};
}
