import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { hubApiError } from './errors';
import { readFullResponse } from './parse';

type HubContext =
	| IExecuteFunctions
	| IExecuteSingleFunctions
	| IHookFunctions
	| ILoadOptionsFunctions
	| IWebhookFunctions;

/** The credential's hub URL without trailing slashes, so paths can start with `/v1`. */
export function hubBaseUrl(baseUrl: unknown): string {
	return typeof baseUrl === 'string' ? baseUrl.trim().replace(/\/+$/, '') : '';
}

/**
 * One authenticated call to the hub for code that is not declarative routing (load options,
 * the trigger's webhook registration). Answers the parsed body; hub errors become NodeApiError.
 */
export async function referloopApiRequest(
	this: HubContext,
	method: IHttpRequestMethods,
	path: string,
	body?: IDataObject,
	qs?: IDataObject,
): Promise<unknown> {
	const credentials = await this.getCredentials('referloopApi');
	const baseURL = hubBaseUrl(credentials.baseUrl);
	if (!baseURL) {
		throw new NodeOperationError(this.getNode(), 'The Referloop credential has no hub URL');
	}
	const options: IHttpRequestOptions = {
		method,
		baseURL,
		url: path,
		qs,
		body,
		json: true,
		headers: { Accept: 'application/json' },
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
	const raw: unknown = await this.helpers.httpRequestWithAuthentication.call(this, 'referloopApi', options);
	const response = readFullResponse(raw);
	if (!response) {
		throw new NodeOperationError(this.getNode(), `Unexpected answer from Referloop for ${method} ${path}`);
	}
	if (response.statusCode >= 400) throw hubApiError(this.getNode(), response.statusCode, response.body);
	return response.body;
}
