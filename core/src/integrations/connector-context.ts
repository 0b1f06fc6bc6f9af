import { getConnector, type AnyConnector, type BaseSettings, type ConnectorContext, type Vendor } from '@referloop/connectors';
import { z } from 'zod';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { ApiError } from '../lib/errors';
import type { IntegrationRow } from './rows';

/** An integration ready to call its vendor: the connector and the context its calls get. */
export interface OpenedIntegration {
  row: IntegrationRow;
  connector: AnyConnector;
  ctx: ConnectorContext<unknown, BaseSettings>;
}

/** The connector for a vendor; a 422 when this build does not have it yet. */
export async function requireConnector(vendor: Vendor): Promise<AnyConnector> {
  const connector = await getConnector(vendor);
  if (!connector) throw new ApiError('unprocessable', `The ${vendor} connector is not available in this build of Referloop`, [{ path: 'vendor', message: 'connector not available' }]);
  return connector;
}

// The sealed values are bound to their integration (workspace + vendor): copied onto another row they do not open.
const credentialsContext = (workspaceId: string, vendor: Vendor) => `integration:${workspaceId}:${vendor}:credentials`;
const secretsContext = (workspaceId: string, vendor: Vendor) => `integration:${workspaceId}:${vendor}:webhook_secrets`;

export function sealCredentials(hub: HubContext, workspaceId: string, vendor: Vendor, credentials: unknown): string {
  return hub.secrets.sealJson(credentials, credentialsContext(workspaceId, vendor));
}

export function sealWebhookSecrets(hub: HubContext, workspaceId: string, vendor: Vendor, secrets: Record<string, string>): string {
  return hub.secrets.sealJson(secrets, secretsContext(workspaceId, vendor));
}

/** The stored credentials, decrypted (never leaves core: connectors get them, responses and logs never do). */
export function openCredentials(hub: HubContext, row: IntegrationRow): unknown {
  if (!row.credentials) throw new ApiError('unprocessable', `The ${row.vendor} integration has no credentials: connect it again`);
  return hub.secrets.openJson(row.credentials, credentialsContext(row.workspace_id, row.vendor));
}

const secretsSchema = z.record(z.string(), z.string());

export function openWebhookSecrets(hub: HubContext, row: IntegrationRow): Record<string, string> {
  if (!row.webhook_secrets) return {};
  return secretsSchema.parse(hub.secrets.openJson(row.webhook_secrets, secretsContext(row.workspace_id, row.vendor)));
}

/** Store credentials a connector refreshed (OAuth), sealed like the originals. */
async function saveRefreshedCredentials(hub: HubContext, q: Queryable, row: IntegrationRow, next: unknown): Promise<void> {
  await q.query('UPDATE integrations SET credentials = $2, updated_at = $3 WHERE id = $1', [row.id, sealCredentials(hub, row.workspace_id, row.vendor, next), hub.now()]);
}

/**
 * Decrypt and parse what an integration stored, and build the context its connector is called
 * with. Stored settings are parsed again with the connector's schema: they are an edge too.
 */
export async function openIntegration(hub: HubContext, row: IntegrationRow, signal?: AbortSignal): Promise<OpenedIntegration> {
  const connector = await requireConnector(row.vendor);
  const credentials = connector.credentialsSchema.parse(openCredentials(hub, row));
  const settings = connector.settingsSchema.parse(row.settings);
  const ctx: ConnectorContext<unknown, BaseSettings> = {
    credentials,
    settings,
    apiBaseUrl: row.api_base_url,
    webhookSecrets: openWebhookSecrets(hub, row),
    now: () => hub.now(),
    signal,
    async saveCredentials(next) {
      ctx.credentials = next;
      await saveRefreshedCredentials(hub, hub.db, row, next);
    },
  };
  return { row, connector, ctx };
}

/**
 * Stored credentials go only to the host they were saved for: a request that moves the integration
 * to another `api_base_url` must send the credentials again, or a key holder could point the
 * official SDK at a server of their own and read the vendor tokens off the wire.
 */
export function assertSameHostForStoredCredentials(active: Pick<IntegrationRow, 'api_base_url'> | null, input: { credentials?: unknown; api_base_url?: string | null }): void {
  if (input.credentials !== undefined || input.api_base_url === undefined || !active) return;
  if ((input.api_base_url ?? null) === (active.api_base_url ?? null)) return;
  const message = 'is required to change api_base_url: stored credentials are only sent to the host they were saved for';
  throw new ApiError('validation_failed', `credentials: ${message}`, [{ path: 'credentials', message }]);
}

/** The public URL a vendor posts its webhooks to. */
export function inboundUrl(publicUrl: string, row: Pick<IntegrationRow, 'vendor' | 'inbound_token'>): string {
  return `${publicUrl}/hooks/${row.vendor}/${row.inbound_token}`;
}
