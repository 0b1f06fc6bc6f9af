import type {
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { isDataObject, parseJsonBody } from './parse';

/** What a person needs from the hub's RFC 9457 problem+json answer to fix the call. */
export interface HubProblem {
	status: number;
	title: string;
	detail: string;
	code: string | null;
	fieldErrors: string[];
}

/** Read a problem+json body; tolerate anything else (a proxy's HTML page, an empty body). */
export function readProblem(statusCode: number, body: unknown): HubProblem {
	const parsed = parseJsonBody(body);
	if (!isDataObject(parsed)) {
		const text = typeof parsed === 'string' ? parsed.trim().slice(0, 300) : '';
		return {
			status: statusCode,
			title: `Referloop answered HTTP ${statusCode}`,
			detail: text || 'The hub sent no details',
			code: null,
			fieldErrors: [],
		};
	}
	const fieldErrors: string[] = [];
	if (Array.isArray(parsed.errors)) {
		for (const entry of parsed.errors) {
			if (isDataObject(entry) && typeof entry.message === 'string') {
				fieldErrors.push(typeof entry.path === 'string' && entry.path ? `${entry.path}: ${entry.message}` : entry.message);
			}
		}
	}
	return {
		status: statusCode,
		title: typeof parsed.title === 'string' ? parsed.title : `Referloop answered HTTP ${statusCode}`,
		detail: typeof parsed.detail === 'string' ? parsed.detail : 'The hub sent no details',
		code: typeof parsed.code === 'string' ? parsed.code : null,
		fieldErrors,
	};
}

/** Turn a hub error answer into the NodeApiError n8n shows: the title as message, the detail below it. */
export function hubApiError(node: INode, statusCode: number, body: unknown, itemIndex?: number): NodeApiError {
	const problem = readProblem(statusCode, body);
	const description = problem.fieldErrors.length
		? `${problem.detail} (${problem.fieldErrors.join('; ')})`
		: problem.detail;
	const response: JsonObject = {
		status: problem.status,
		title: problem.title,
		detail: problem.detail,
		code: problem.code,
		errors: problem.fieldErrors,
	};
	return new NodeApiError(node, response, {
		message: problem.title,
		description,
		httpCode: String(statusCode),
		itemIndex,
	});
}

/**
 * First post-receive step of every operation. Requests run with `ignoreHttpStatusErrors` so that
 * the hub's problem body reaches us intact (n8n's default error would only say "status code 409").
 */
export async function throwOnHubError(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	if (response.statusCode >= 400) {
		throw hubApiError(this.getNode(), response.statusCode, response.body, this.getItemIndex());
	}
	return items;
}
