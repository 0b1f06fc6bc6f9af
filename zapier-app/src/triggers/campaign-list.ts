import type { Bundle, Trigger, ZObject } from 'zapier-platform-core';
import { dropdownPage } from '../lib/paging';
import { campaignSchema } from '../lib/resources';

/** Powers the Campaign dropdowns, 100 campaigns a page. */
const perform = (z: ZObject, bundle: Bundle) => dropdownPage(z, bundle, campaignSchema, '/v1/campaigns');

export default {
  key: 'campaign_list' as const,
  noun: 'Campaign',
  display: { label: 'List Campaigns', description: 'Lists the campaigns of the workspace for dropdowns.', hidden: true },
  operation: {
    type: 'polling',
    perform,
    sample: { id: 'cmp_01jd0000000000000000000000', object: 'campaign', name: 'Friends of Acme', status: 'live' },
    outputFields: [
      { key: 'id', label: 'Campaign ID' },
      { key: 'name', label: 'Name' },
      { key: 'status', label: 'Status' },
    ],
  },
} satisfies Trigger;
