import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { hubApiError } from './errors';
import { readFullResponse, readPage } from './parse';

/** The hub's largest page (`?limit` accepts 1–100). */
export const HUB_MAX_PAGE_SIZE = 100;

/** Post-receive step of list operations: one n8n item per record of `{data, next_cursor}`. */
export async function unwrapPage(
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
	return page.data.map((json) => ({ json }));
}

/**
 * "Return All" for the hub's cursor pagination. n8n's built-in paginators know offsets and
 * link expressions, not `next_cursor`; and `makeRoutingRequest` would unwrap the page before we
 * could read its cursor, so this walks the pages with the same request the routing built.
 */
export async function paginateByCursor(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const { options } = requestData;
	const pageSize = Number(this.getNodeParameter('pageSize', HUB_MAX_PAGE_SIZE));
	const baseQuery: IDataObject = { ...(options.qs ?? {}) };
	const results: INodeExecutionData[] = [];
	let cursor: string | null = null;
	do {
		const request: IHttpRequestOptions = {
			method: options.method ?? 'GET',
			baseURL: options.baseURL,
			url: options.url ?? '',
			headers: options.headers,
			qs: { ...baseQuery, limit: pageSize, ...(cursor ? { cursor } : {}) },
			json: true,
			timeout: options.timeout,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		const raw: unknown = await this.helpers.httpRequestWithAuthentication.call(this, 'referloopApi', request);
		const response = readFullResponse(raw);
		if (!response) {
			throw new NodeApiError(this.getNode(), { message: 'No response' }, { itemIndex: this.getItemIndex() });
		}
		if (response.statusCode >= 400) {
			throw hubApiError(this.getNode(), response.statusCode, response.body, this.getItemIndex());
		}
		const page = readPage(response.body);
		if (!page) {
			throw new NodeOperationError(this.getNode(), 'Referloop answered a list without a data array', {
				itemIndex: this.getItemIndex(),
			});
		}
		results.push(...page.data.map((json) => ({ json })));
		cursor = page.nextCursor;
	} while (cursor);
	return results;
}
