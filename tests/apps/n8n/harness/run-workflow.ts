import { randomUUID } from 'node:crypto';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ExecutionError,
	type ICredentialsHelper,
	type INode,
	type INodeExecutionData,
	type IRun,
	type WorkflowExecuteMode,
} from 'n8n-workflow';
import { createAdditionalData } from './additional-data';
import type { LoadedPackage } from './package-loader';

export interface HarnessEnv {
	pkg: LoadedPackage;
	credentialsHelper: ICredentialsHelper;
}

export interface NodeRun {
	/** The node's first output, as the next node would receive it. */
	items: INodeExecutionData[];
	/** The error that stopped the execution (the node failed without "continue on fail"). */
	error: ExecutionError | undefined;
	run: IRun;
}

/**
 * Run `workflow` from `startNode` with `input` through n8n-core's WorkflowExecute, the engine
 * n8n runs every production execution with, and answer the first output of `startNode`.
 */
export async function runFrom(
	env: HarnessEnv,
	workflow: Workflow,
	startNode: INode,
	input: INodeExecutionData[][],
	mode: WorkflowExecuteMode,
	webhookBaseUrl?: string,
): Promise<NodeRun> {
	const hooks = new ExecutionLifecycleHooks(mode, randomUUID(), {
		id: workflow.id,
		name: workflow.name ?? 'test',
		active: workflow.active,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
	});
	const additionalData = createAdditionalData({ credentialsHelper: env.credentialsHelper, hooks, webhookBaseUrl });
	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: startNode, data: { main: input }, source: null }] },
	});
	const run = await new WorkflowExecute(additionalData, mode, runExecutionData).processRunExecutionData(workflow);
	const task = run.data.resultData.runData[startNode.name]?.[0];
	return { items: task?.data?.main[0] ?? [], error: run.data.resultData.error, run };
}

export interface ActionNodeOptions {
	continueOnFail?: boolean;
	input?: INodeExecutionData[];
}

/** The Referloop node in a one-node workflow, as "Execute step" in the editor runs it. */
export async function runReferloopNode(
	env: HarnessEnv,
	parameters: INode['parameters'],
	options: ActionNodeOptions = {},
): Promise<NodeRun> {
	const node: INode = {
		id: randomUUID(),
		name: 'Referloop',
		type: `${env.pkg.packageName}.referloop`,
		typeVersion: 1,
		position: [0, 0],
		parameters,
		credentials: { referloopApi: { id: 'cred-1', name: 'Referloop account' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
	const workflow = new Workflow({
		id: `wf-${randomUUID()}`,
		name: 'Referloop action',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: env.pkg.nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	const start = workflow.getNode(node.name);
	if (!start) throw new Error('the workflow lost its node');
	return await runFrom(env, workflow, start, [options.input ?? [{ json: {} }]], 'manual');
}
