import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createRunExecutionData,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
	type ICredentialDataDecryptedObject,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';
import { createAdditionalData } from './additional-data';
import type { HarnessEnv } from './run-workflow';

/**
 * What n8n's "Test credential" button does for a credential with a `test.request`: wrap the
 * request into a throw-away declarative node and run it through RoutingNode with the data typed
 * into the form (not the stored credential).
 */
export async function testCredential(
	env: HarnessEnv,
	credentialType: string,
	data: ICredentialDataDecryptedObject,
): Promise<INodeExecutionData[]> {
	const request = env.pkg.credentialTypes[credentialType]?.test?.request;
	if (!request) throw new Error(`${credentialType} has no test request`);
	const testNodeType: INodeType = {
		description: {
			displayName: 'Credential test',
			name: 'credentialTest',
			group: ['transform'],
			version: 1,
			description: 'Runs a credential test request',
			defaults: { name: 'Credential test' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', default: '', routing: { request } }],
		},
	};
	const nodeTypes: INodeTypes = {
		getByName: () => testNodeType,
		getByNameAndVersion: () => NodeHelpers.getVersionedNodeType(testNodeType),
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		name: 'Temp-Node',
		type: 'credentialTest',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
		credentials: { [credentialType]: { id: 'under-test', name: 'Under test' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const context = new ExecuteContext(
		workflow,
		node,
		createAdditionalData({ credentialsHelper: env.credentialsHelper }),
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const routingNode = new RoutingNode(context, testNodeType, { id: 'under-test', name: 'Under test', type: credentialType, data });
	const outputs = await routingNode.runNode();
	return outputs?.[0] ?? [];
}
