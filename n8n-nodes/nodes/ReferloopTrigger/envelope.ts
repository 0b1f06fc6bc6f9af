import type { IDataObject } from 'n8n-workflow';

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{id, type, created_at, workspace_id, campaign_id, data}` as the hub delivers it; undefined otherwise. */
export function readEventEnvelope(rawBody: Buffer): IDataObject | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return undefined;
	}
	if (!isObject(parsed)) return undefined;
	const { id, type, created_at: createdAt, data } = parsed;
	if (typeof id !== 'string' || typeof type !== 'string' || typeof createdAt !== 'string' || !isObject(data)) {
		return undefined;
	}
	return parsed;
}
