import { defineTrigger, type Bundle, type ZObject } from 'zapier-platform-core';
import { callHub } from '../lib/hub';
import { campaignSchema, pageOf } from '../lib/resources';

/**
 * Powers the Campaign dropdowns. Zapier asks page after page; the hub's cursor for the next page
 * is kept in Zapier's cursor store between calls (an empty cursor marks the last page).
 */
const perform = async (z: ZObject, bundle: Bundle) => {
  const cursor = bundle.meta?.page ? await z.cursor.get() : undefined;
  if (bundle.meta?.page && !cursor) return [];
  const page = await callHub(z, bundle, pageOf(campaignSchema), { path: '/v1/campaigns', params: { limit: 100, cursor } });
  await z.cursor.set(page.next_cursor ?? '');
  return page.data;
};

export default defineTrigger({
  key: 'campaign_list',
  noun: 'Campaign',
  display: { label: 'List Campaigns', description: 'Lists the campaigns of the workspace for dropdowns.', hidden: true },
  operation: {
    type: 'polling',
    canPaginate: true,
    perform,
    sample: { id: 'cmp_01jd0000000000000000000000', object: 'campaign', name: 'Friends of Acme', status: 'live' },
    outputFields: [
      { key: 'id', label: 'Campaign ID' },
      { key: 'name', label: 'Name' },
      { key: 'status', label: 'Status' },
    ],
  },
});
