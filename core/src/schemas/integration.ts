import { z } from 'zod';
import { accountOptionsSchema, vendorSchema, webhookRegistrationSchema } from '@referloop/connectors';
import { timestampSchema } from './common';

export const integrationStatuses = ['connected', 'needs_reconnect', 'error', 'disconnected'] as const;
export type IntegrationStatus = (typeof integrationStatuses)[number];

/** `/v1/integrations/{vendor}` */
export const vendorParamsSchema = z.object({ vendor: vendorSchema });

/** PUT /v1/integrations/{vendor}: connect, or reconfigure a connected integration. */
export const connectIntegrationSchema = z.object({
  credentials: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({
      description:
        'Write-only, encrypted at rest, never returned. pipedrive {api_token} or {access_token, refresh_token, api_domain}; hubspot {access_token} or {client_id, client_secret, refresh_token}; salesforce {instance_url, access_token, refresh_token?, client_id?, …}; stripe {secret_key, webhook_secret?}. Required to connect; optional when reconfiguring.',
    }),
  settings: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({ description: 'The vendor\'s settings, with per-campaign rules under `campaigns.<campaign_id>`; replaced as a whole when sent' }),
  api_base_url: z
    .url({ protocol: /^https?$/ })
    .max(500)
    .nullable()
    .optional()
    .meta({ description: 'Points the official SDK at another host (a sandbox, a local fake); null clears it' }),
});
export type ConnectIntegrationInput = z.infer<typeof connectIntegrationSchema>;

/** POST /v1/integrations/{vendor}/options: load the options for credentials not saved yet. */
export const integrationOptionsRequestSchema = z.object({
  credentials: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({
      description:
        'The credentials to read the account with, as for PUT; used for this answer only, never stored. Leave out to use the stored ones. An OAuth authorization code is refused: it can be exchanged only once, so connect with it first.',
    }),
  api_base_url: connectIntegrationSchema.shape.api_base_url,
});
export type IntegrationOptionsInput = z.infer<typeof integrationOptionsRequestSchema>;

/** GET|POST /v1/integrations/{vendor}/options: what the settings form chooses from. */
export const integrationOptionsSchema = z
  .object({ object: z.literal('integration_options'), vendor: vendorSchema, ...accountOptionsSchema.shape })
  .meta({ description: 'Deal pipelines and their stages, picklists and writable fields of the vendor account, with the ids and keys the settings store' });
export type IntegrationOptions = z.infer<typeof integrationOptionsSchema>;

export const integrationSchema = z.object({
  object: z.literal('integration'),
  id: z.string(),
  vendor: vendorSchema,
  status: z.enum(integrationStatuses),
  account: z
    .object({ id: z.string(), name: z.string().nullable().optional(), warning: z.string().nullable().optional().meta({ description: 'About how the credentials connect, e.g. a legacy login the vendor is retiring' }) })
    .nullable()
    .meta({ description: 'The vendor account the credentials open' }),
  settings: z.record(z.string(), z.unknown()),
  api_base_url: z.string().nullable(),
  inbound_url: z.string().meta({ description: 'Where the vendor sends webhooks (/hooks/{vendor}/{token}); set it by hand when webhooks cannot be registered through the vendor API' }),
  webhooks: z.array(webhookRegistrationSchema).meta({ description: 'Webhooks registered at the vendor' }),
  manual_webhooks: z
    .object({ events: z.array(z.string()), instructions: z.string() })
    .nullable()
    .meta({ description: 'What to set up by hand at the vendor, when registration through its API was not possible' }),
  ongoing_sync: z.object({ sync_id: z.string(), campaign_id: z.string() }).nullable(),
  last_error: z.string().nullable(),
  last_error_at: timestampSchema.nullable(),
  connected_at: timestampSchema.nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
});
export type Integration = z.infer<typeof integrationSchema>;

/** POST /v1/integrations/{vendor}/sync */
export const startSyncSchema = z.object({
  mode: z.enum(['once', 'ongoing']).default('once').meta({ description: 'ongoing keeps importing contacts created at the vendor afterwards' }),
  filter: z.record(z.string(), z.unknown()).optional().meta({ description: 'Vendor-specific: a saved filter, a list' }),
  campaign_id: z.string().min(1).optional().meta({ description: 'Campaign the contacts join; defaults to the only campaign in the settings' }),
});
export type StartSyncInput = z.infer<typeof startSyncSchema>;

export const syncStates = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;

export const syncRunSchema = z.object({
  object: z.literal('sync_run'),
  id: z.string(),
  vendor: vendorSchema,
  campaign_id: z.string(),
  mode: z.enum(['once', 'ongoing']),
  filter: z.record(z.string(), z.unknown()).nullable(),
  state: z.enum(syncStates),
  total: z.number().int().nullable().meta({ description: 'Contacts at the vendor, when it says' }),
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  failed: z.number().int(),
  links_written: z.number().int(),
  pages: z.number().int(),
  cursor: z.string().nullable().meta({ description: 'Where the next page starts; a killed sync resumes here' }),
  failures: z.array(z.object({ contact_id: z.string(), message: z.string() })).meta({ description: 'The latest failures, at most 20' }),
  last_error: z.string().nullable(),
  started_at: timestampSchema.nullable(),
  finished_at: timestampSchema.nullable(),
  created_at: timestampSchema,
  updated_at: timestampSchema,
});
export type SyncRun = z.infer<typeof syncRunSchema>;

export const syncParamsSchema = z.object({ vendor: vendorSchema, id: z.string().min(1) });
