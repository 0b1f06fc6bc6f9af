import type { Request, Response } from 'express';
import { ExecutionLifecycleHooks, ExternalSecretsProxy } from 'n8n-core';
import type { ICredentialsHelper, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

export interface AdditionalDataOptions {
	credentialsHelper: ICredentialsHelper;
	/** Where n8n would serve production webhooks, e.g. http://127.0.0.1:5678/webhook */
	webhookBaseUrl?: string;
	hooks?: ExecutionLifecycleHooks;
	httpRequest?: Request;
	httpResponse?: Response;
}

const notInTheseTests = (what: string) => () => {
	throw new Error(`${what} is not part of the n8n harness`);
};

/** What n8n's server hands every execution context; only the parts the Referloop nodes reach are real. */
export function createAdditionalData(options: AdditionalDataOptions): IWorkflowExecuteAdditionalData {
	const webhookBaseUrl = options.webhookBaseUrl ?? 'http://127.0.0.1:5678/webhook';
	return {
		credentialsHelper: options.credentialsHelper,
		hooks: options.hooks,
		httpRequest: options.httpRequest,
		httpResponse: options.httpResponse,
		externalSecretsProxy: new ExternalSecretsProxy(),
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl,
		webhookWaitingBaseUrl: `${webhookBaseUrl}-waiting`,
		webhookTestBaseUrl: `${webhookBaseUrl}-test`,
		variables: {},
		executeWorkflow: notInTheseTests('executeWorkflow'),
		getRunExecutionData: notInTheseTests('getRunExecutionData'),
		startRunnerTask: notInTheseTests('startRunnerTask'),
		logAiEvent: () => undefined,
	};
}
