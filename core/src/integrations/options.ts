import { accountOptionsSchema, type AccountOptions, type AnyConnector, type BaseSettings, type ConnectorContext, type Vendor } from '@referloop/connectors';
import { z } from 'zod';
import type { HubContext } from '../context';
import { fieldErrors } from '../http/validation';
import { ApiError } from '../lib/errors';
import type { IntegrationOptionsInput } from '../schemas/integration';
import { assertSameHostForStoredCredentials, openIntegration, requireConnector } from './connector-context';
import { findIntegration, type IntegrationRow } from './rows';
import { callVendor, vendorApiError } from './vendor-calls';

/**
 * `GET|POST /v1/integrations/{vendor}/options`: what the settings form chooses from (pipelines and
 * stages, picklists, fields), read from the vendor account through the connector's
 * `describeOptions`. With the stored credentials of a connected integration, or with credentials
 * not saved yet, so the form can show its pickers before the first connect; those are used for
 * this answer only and nothing is written.
 */

/** What a vendor without anything to choose from (Stripe) answers. */
const noOptions: AccountOptions = { pipelines: [], picklists: {}, fields: {} };

// A code is exchanged for tokens once: spent here, the connect that follows would be refused.
const codeCredentialsSchema = z.object({ code: z.string() });

/** The settings a context carries when neither stored ones nor the defaults parse: describing an account reads none. */
const noSettings: BaseSettings = { push_types: ['referred'], campaigns: {} };

/** The workspace's active integration with the vendor; 404 when there is none, 409 when its credentials were refused. */
async function connectedIntegration(hub: HubContext, workspaceId: string, vendor: Vendor): Promise<IntegrationRow> {
  const row = await findIntegration(hub.db, workspaceId, vendor);
  if (!row || row.status === 'disconnected') throw new ApiError('not_found', `${vendor} is not connected in this workspace: send credentials to load its options`);
  if (row.status === 'needs_reconnect') {
    throw new ApiError('conflict', `${vendor} refused the stored credentials: reconnect the integration, or send new credentials to load its options`);
  }
  return row;
}

/** Ask the connector under the shared retry decision (few attempts: a person waits) and parse what it answers. */
async function describe(hub: HubContext, ref: { id: string; vendor: Vendor }, connector: AnyConnector, open: () => Promise<ConnectorContext<unknown, BaseSettings>>): Promise<AccountOptions> {
  const describeOptions = connector.describeOptions;
  if (!describeOptions) return noOptions;
  try {
    const ctx = await open();
    return accountOptionsSchema.parse(await callVendor(hub, ref, 'describeOptions', () => describeOptions(ctx), { maxAttempts: 3, maxInlineWaitMs: 5_000 }));
  } catch (err) {
    throw vendorApiError(ref.vendor, err) ?? err;
  }
}

/** The options of a connected integration, read with its stored credentials (refreshed tokens are saved, as on any call). */
export async function describeStoredOptions(hub: HubContext, workspaceId: string, vendor: Vendor, apiBaseUrl?: string | null): Promise<AccountOptions> {
  const row = await connectedIntegration(hub, workspaceId, vendor);
  const connector = await requireConnector(vendor);
  return describe(hub, row, connector, async () => {
    const { ctx } = await openIntegration(hub, row);
    if (apiBaseUrl !== undefined) ctx.apiBaseUrl = apiBaseUrl;
    return ctx;
  });
}

/**
 * The options for the credentials in the request, before they are saved (the stored ones when
 * the request has none). Nothing is written: tokens a refresh hands back are used for this answer
 * and dropped. An authorization code is refused, since exchanging it here would spend it.
 */
export async function describeOptionsFor(hub: HubContext, workspaceId: string, vendor: Vendor, input: IntegrationOptionsInput): Promise<AccountOptions> {
  const existing = await findIntegration(hub.db, workspaceId, vendor);
  const active = existing !== null && existing.status !== 'disconnected' ? existing : null;
  assertSameHostForStoredCredentials(active, input);
  if (!input.credentials) {
    if (!active) throw new ApiError('validation_failed', `credentials: required while ${vendor} is not connected`, [{ path: 'credentials', message: `is required while ${vendor} is not connected` }]);
    return describeStoredOptions(hub, workspaceId, vendor, input.api_base_url);
  }
  const connector = await requireConnector(vendor);
  const parsed = connector.credentialsSchema.safeParse(input.credentials);
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error, 'credentials');
    throw new ApiError('validation_failed', `${errors[0].path}: ${errors[0].message}`, errors);
  }
  if (codeCredentialsSchema.safeParse(parsed.data).success) {
    const message = 'is a one-time authorization code: it can be exchanged only once, so connect first (PUT /v1/integrations/' + vendor + '), then load the options';
    throw new ApiError('validation_failed', `credentials.code: ${message}`, [{ path: 'credentials.code', message }]);
  }
  const settings = connector.settingsSchema.safeParse(active?.settings ?? {});
  const ctx: ConnectorContext<unknown, BaseSettings> = {
    credentials: parsed.data,
    settings: settings.success ? settings.data : noSettings,
    apiBaseUrl: input.api_base_url === undefined ? (active?.api_base_url ?? null) : input.api_base_url,
    webhookSecrets: {},
    now: () => hub.now(),
    async saveCredentials(next) {
      // Kept for the rest of this call only: these credentials are not the integration's (yet).
      ctx.credentials = next;
    },
  };
  return describe(hub, { id: active?.id ?? 'unsaved', vendor }, connector, async () => ctx);
}
