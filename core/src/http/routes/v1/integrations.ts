// /v1/integrations – connect, configure, sync and disconnect Pipedrive, HubSpot, Salesforce and Stripe; load what their settings choose from
import { connectIntegration } from '../../../integrations/connect';
import { disconnectIntegration } from '../../../integrations/disconnect';
import { describeOptionsFor, describeStoredOptions } from '../../../integrations/options';
import { findIntegration } from '../../../integrations/rows';
import { toIntegration, toSyncRun } from '../../../integrations/serialize';
import { getSync, listSyncs, startSync } from '../../../integrations/sync-start';
import { ApiError } from '../../../lib/errors';
import { pageQuerySchema, pageSchema } from '../../../schemas/common';
import {
  connectIntegrationSchema,
  integrationOptionsRequestSchema,
  integrationOptionsSchema,
  integrationSchema,
  startSyncSchema,
  syncParamsSchema,
  syncRunSchema,
  vendorParamsSchema,
  type Integration,
  type IntegrationOptions,
} from '../../../schemas/integration';
import type { IntegrationRow } from '../../../integrations/rows';
import { defineRoute, reply } from '../../route';

const tags = ['Integrations'];

export const integrationRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/integrations',
    summary: 'List integrations',
    description: 'Every vendor this workspace has connected (or disconnected), with status, settings and errors. Credentials are never shown.',
    tags,
    auth: 'secret',
    response: pageSchema(integrationSchema),
    async handler({ hub, workspaceId }) {
      const rows = await hub.db.query<IntegrationRow>('SELECT * FROM integrations WHERE workspace_id = $1 ORDER BY vendor', [workspaceId]);
      const data: Integration[] = rows.map((r) => toIntegration(r, hub.config.publicUrl));
      return { data, next_cursor: null };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/integrations/:vendor',
    summary: 'Show an integration',
    tags,
    auth: 'secret',
    params: vendorParamsSchema,
    response: integrationSchema,
    async handler({ hub, workspaceId, params }) {
      const row = await findIntegration(hub.db, workspaceId, params.vendor);
      if (!row) throw new ApiError('not_found', `${params.vendor} has never been connected in this workspace`);
      return toIntegration(row, hub.config.publicUrl);
    },
  }),
  defineRoute({
    method: 'put',
    path: '/v1/integrations/:vendor',
    summary: 'Connect or reconfigure an integration',
    description:
      'Checks the credentials against the vendor and registers our webhooks there before saving anything. Credentials are encrypted at rest and never returned; leave them out to change only settings.',
    tags,
    auth: 'secret',
    params: vendorParamsSchema,
    body: connectIntegrationSchema,
    response: integrationSchema,
    notes: { 400: 'Invalid credentials or settings (the field is named), or credentials the vendor rejected', 422: 'The connector is not available', 502: 'The vendor could not be reached' },
    async handler({ hub, workspaceId, params, body }) {
      return toIntegration(await connectIntegration(hub, workspaceId, params.vendor, body), hub.config.publicUrl);
    },
  }),
  defineRoute({
    method: 'delete',
    path: '/v1/integrations/:vendor',
    summary: 'Disconnect an integration',
    description: 'Removes our webhooks at the vendor, stops syncs and forgets the credentials. Participants and vendor records stay on both sides.',
    tags,
    auth: 'secret',
    params: vendorParamsSchema,
    response: integrationSchema,
    async handler({ hub, workspaceId, params }) {
      return toIntegration(await disconnectIntegration(hub, workspaceId, params.vendor), hub.config.publicUrl);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/integrations/:vendor/options',
    summary: 'Load the settings options of an integration',
    description:
      'Deal pipelines with their stages, picklists (lifecycle stages, lead statuses, opportunity stages) and writable fields, read from the vendor account with the stored credentials: what the settings choose from. Stripe has none (empty lists).',
    tags,
    auth: 'secret',
    params: vendorParamsSchema,
    response: integrationOptionsSchema,
    notes: { 400: 'The vendor rejected the stored credentials', 404: 'The vendor is not connected', 409: 'The integration needs to be reconnected', 502: 'The vendor could not be reached' },
    async handler({ hub, workspaceId, params }): Promise<IntegrationOptions> {
      return { object: 'integration_options', vendor: params.vendor, ...(await describeStoredOptions(hub, workspaceId, params.vendor)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/integrations/:vendor/options',
    summary: 'Load the settings options for credentials not saved yet',
    description:
      'The same answer as GET, for the credentials in the body (before the first connect); they are used for this answer only and nothing is stored. Without credentials the stored ones are used. An OAuth authorization code is refused: connect with it first.',
    tags,
    auth: 'secret',
    params: vendorParamsSchema,
    body: integrationOptionsRequestSchema,
    response: integrationOptionsSchema,
    notes: {
      400: 'Invalid or missing credentials (the field is named), an authorization code, or credentials the vendor rejected',
      409: 'No credentials sent and the integration needs to be reconnected',
      502: 'The vendor could not be reached',
    },
    async handler({ hub, workspaceId, params, body }): Promise<IntegrationOptions> {
      return { object: 'integration_options', vendor: params.vendor, ...(await describeOptionsFor(hub, workspaceId, params.vendor, body)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/integrations/:vendor/sync',
    summary: 'Start a contact sync',
    description: 'Vendor contacts become imported participants of a campaign, each with its referral link, written back to the vendor in batches. Follow progress with GET …/syncs/{id}.',
    tags,
    auth: 'secret',
    params: vendorParamsSchema,
    body: startSyncSchema,
    response: syncRunSchema,
    status: 202,
    notes: { 409: 'A sync is already running, or the integration needs to be reconnected' },
    async handler({ hub, workspaceId, params, body }) {
      return reply(202, toSyncRun(await startSync(hub, workspaceId, params.vendor, body)));
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/integrations/:vendor/syncs',
    summary: 'List contact syncs',
    tags,
    auth: 'secret',
    params: vendorParamsSchema,
    query: pageQuerySchema,
    response: pageSchema(syncRunSchema),
    async handler({ hub, workspaceId, params, query }) {
      const { rows, next } = await listSyncs(hub, workspaceId, params.vendor, query.limit, query.cursor);
      return { data: rows.map(toSyncRun), next_cursor: next };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/v1/integrations/:vendor/syncs/:id',
    summary: 'Show a contact sync and its progress',
    tags,
    auth: 'secret',
    params: syncParamsSchema,
    response: syncRunSchema,
    async handler({ hub, workspaceId, params }) {
      return toSyncRun(await getSync(hub, workspaceId, params.vendor, params.id));
    },
  }),
];
