import type { IDataObject } from 'n8n-workflow';

/**
 * The hub's answers arrive as `unknown` at this edge. The package may not ship runtime
 * dependencies (n8n community-node rule), so these small guards do what zod does elsewhere.
 */
export function isDataObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON body that the HTTP helper may hand over still as text (e.g. `application/problem+json`). */
export function parseJsonBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** One page of a list route: `{ data: [...], next_cursor }`. */
export interface HubPage {
	data: IDataObject[];
	nextCursor: string | null;
}

/** Read `{data, next_cursor}`; undefined when the body is not a page. */
export function readPage(body: unknown): HubPage | undefined {
	const parsed = parseJsonBody(body);
	if (!isDataObject(parsed) || !Array.isArray(parsed.data)) return undefined;
	const data = parsed.data.filter(isDataObject);
	if (data.length !== parsed.data.length) return undefined;
	const cursor = parsed.next_cursor;
	if (cursor !== null && cursor !== undefined && typeof cursor !== 'string') return undefined;
	return { data, nextCursor: typeof cursor === 'string' && cursor !== '' ? cursor : null };
}

/** The status and body of a full HTTP response from `httpRequestWithAuthentication`. */
export interface HubResponse {
	statusCode: number;
	body: unknown;
}

export function readFullResponse(response: unknown): HubResponse | undefined {
	if (!isDataObject(response) || typeof response.statusCode !== 'number') return undefined;
	return { statusCode: response.statusCode, body: parseJsonBody(response.body) };
}

/** A JSON-object parameter (metadata): n8n hands it over as text or as an object. */
export function readJsonObject(value: unknown): IDataObject | undefined {
	if (value === '' || value === undefined || value === null) return {};
	const parsed = parseJsonBody(value);
	return isDataObject(parsed) ? parsed : undefined;
}
