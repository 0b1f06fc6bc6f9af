import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { HUB_MAX_PAGE_SIZE } from '../shared/pagination';
import { readPage } from '../shared/parse';
import { referloopApiRequest } from '../shared/transport';

/** Every campaign of the workspace as a picker option: "Name (status)" → campaign ID. */
export async function getCampaigns(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options: INodePropertyOptions[] = [];
	let cursor: string | null = null;
	do {
		const qs: IDataObject = { limit: HUB_MAX_PAGE_SIZE, ...(cursor ? { cursor } : {}) };
		const page = readPage(await referloopApiRequest.call(this, 'GET', '/v1/campaigns', undefined, qs));
		if (!page) throw new NodeOperationError(this.getNode(), 'Referloop answered the campaign list without a data array');
		for (const campaign of page.data) {
			if (typeof campaign.id !== 'string') continue;
			const name = typeof campaign.name === 'string' ? campaign.name : campaign.id;
			const status = typeof campaign.status === 'string' ? ` (${campaign.status})` : '';
			options.push({ name: `${name}${status}`, value: campaign.id });
		}
		cursor = page.nextCursor;
	} while (cursor);
	return options.sort((a, b) => a.name.localeCompare(b.name));
}
