import { registerResultSchema, accountSchema, SettingsError, type BaseSettings, type ConnectorContext, type Vendor } from '@referloop/connectors';
import type { z } from 'zod';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { ApiError } from '../lib/errors';
import { newId, randomToken } from '../lib/ids';
import { fieldErrors } from '../http/validation';
import type { ConnectIntegrationInput } from '../schemas/integration';
import { assertSameHostForStoredCredentials, inboundUrl, openCredentials, openWebhookSecrets, requireConnector, sealCredentials, sealWebhookSecrets } from './connector-context';
import { findIntegration, type IntegrationRow } from './rows';
import { callVendor, vendorApiError } from './vendor-calls';

function parseField<T>(schema: z.ZodType<T>, value: unknown, path: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors = fieldErrors(parsed.error, path);
  throw new ApiError('validation_failed', `${errors[0].path}: ${errors[0].message}`, errors);
}

/** Per-campaign settings may only name campaigns of this workspace. */
async function checkCampaigns(q: Queryable, workspaceId: string, settings: BaseSettings): Promise<void> {
  const ids = Object.keys(settings.campaigns);
  if (ids.length === 0) return;
  const rows = await q.query<{ id: string }>('SELECT id FROM campaigns WHERE workspace_id = $1 AND id = ANY($2::text[])', [workspaceId, ids]);
  const known = new Set(rows.map((r) => r.id));
  const errors = ids.filter((id) => !known.has(id)).map((id) => ({ path: `settings.campaigns.${id}`, message: 'no such campaign in this workspace' }));
  if (errors.length > 0) throw new ApiError('validation_failed', `${errors[0].path}: ${errors[0].message}`, errors);
}

/**
 * PUT /v1/integrations/{vendor}: connect, or reconfigure. The credentials are checked against the
 * vendor and our webhooks registered there before anything is saved; a refusal writes nothing.
 */
export async function connectIntegration(hub: HubContext, workspaceId: string, vendor: Vendor, input: ConnectIntegrationInput): Promise<IntegrationRow> {
  const connector = await requireConnector(vendor);
  const existing = await findIntegration(hub.db, workspaceId, vendor);
  const active = existing !== null && existing.status !== 'disconnected' ? existing : null;
  assertSameHostForStoredCredentials(active, input);
  let credentials: unknown;
  if (input.credentials) credentials = parseField(connector.credentialsSchema, input.credentials, 'credentials');
  else if (active) credentials = connector.credentialsSchema.parse(openCredentials(hub, active));
  else throw new ApiError('validation_failed', 'credentials: required to connect', [{ path: 'credentials', message: 'is required to connect' }]);
  let settings = parseField(connector.settingsSchema, input.settings ?? active?.settings ?? {}, 'settings');
  await checkCampaigns(hub.db, workspaceId, settings);
  const apiBaseUrl = input.api_base_url === undefined ? (active?.api_base_url ?? null) : input.api_base_url;
  // A reconnection after a disconnect gets a new inbound URL: the old one stays dead.
  const token = active?.inbound_token ?? randomToken(24);
  const secrets = active ? openWebhookSecrets(hub, active) : {};
  const ctx: ConnectorContext<unknown, BaseSettings> = {
    credentials,
    settings,
    apiBaseUrl,
    webhookSecrets: secrets,
    now: () => hub.now(),
    async saveCredentials(next) {
      // Refreshed during connect: saved below with the rest.
      credentials = next;
      ctx.credentials = next;
    },
  };
  const ref = { id: existing?.id ?? 'new', vendor };
  let account;
  let registered;
  const url = inboundUrl(hub.config.publicUrl, { vendor, inbound_token: token });
  try {
    account = accountSchema.parse(await callVendor(hub, ref, 'verifyCredentials', () => connector.verifyCredentials(ctx), { maxAttempts: 3, maxInlineWaitMs: 5_000 }));
    const prepare = connector.prepareSettings;
    if (prepare) {
      // Checked against the vendor account (fields, stages) and completed there before anything is saved.
      settings = parseField(connector.settingsSchema, await callVendor(hub, ref, 'prepareSettings', () => prepare(ctx), { maxAttempts: 3, maxInlineWaitMs: 5_000 }), 'settings');
      ctx.settings = settings;
    }
    registered = registerResultSchema.parse(
      await callVendor(hub, ref, 'registerWebhooks', () => connector.registerWebhooks(ctx, { url, existing: active?.webhooks ?? [] }), { maxAttempts: 3, maxInlineWaitMs: 5_000 }),
    );
  } catch (err) {
    if (err instanceof SettingsError) {
      const errors = err.errors.map((e) => ({ path: `settings.${e.path}`, message: e.message }));
      throw new ApiError('validation_failed', `${errors[0].path}: ${errors[0].message}`, errors);
    }
    throw vendorApiError(vendor, err) ?? err;
  }
  const now = hub.now();
  const sealed = sealCredentials(hub, workspaceId, vendor, credentials);
  const sealedSecrets = sealWebhookSecrets(hub, workspaceId, vendor, { ...secrets, ...(registered.secrets ?? {}) });
  const [row] = await hub.db.query<IntegrationRow>(
    `INSERT INTO integrations (id, workspace_id, vendor, status, credentials, webhook_secrets, settings, api_base_url, account, inbound_token,
       webhooks, manual_webhooks, last_error, last_error_at, connected_at, disconnected_at, created_at, updated_at)
     VALUES ($1,$2,$3,'connected',$4,$5,$6::jsonb,$7,$8::jsonb,$9,$10::jsonb,$11::jsonb,NULL,NULL,$12,NULL,$12,$12)
     ON CONFLICT (workspace_id, vendor) DO UPDATE SET
       status = 'connected', credentials = EXCLUDED.credentials, webhook_secrets = EXCLUDED.webhook_secrets,
       settings = EXCLUDED.settings, api_base_url = EXCLUDED.api_base_url, account = EXCLUDED.account,
       inbound_token = EXCLUDED.inbound_token, webhooks = EXCLUDED.webhooks, manual_webhooks = EXCLUDED.manual_webhooks,
       last_error = NULL, last_error_at = NULL, disconnected_at = NULL, updated_at = EXCLUDED.updated_at,
       connected_at = CASE WHEN integrations.status = 'disconnected' THEN EXCLUDED.connected_at ELSE integrations.connected_at END
     RETURNING *`,
    [
      existing?.id ?? newId('integration'),
      workspaceId,
      vendor,
      sealed,
      sealedSecrets,
      JSON.stringify(settings),
      apiBaseUrl,
      JSON.stringify(account),
      token,
      JSON.stringify(registered.webhooks),
      registered.manual ? JSON.stringify(registered.manual) : null,
      now,
    ],
  );
  hub.log.info({ workspace_id: workspaceId, vendor, integration_id: row.id, webhooks: registered.webhooks.length }, active ? 'integration reconfigured' : 'integration connected');
  return row;
}
