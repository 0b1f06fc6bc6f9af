import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { RegisterResult, WebhookRegistration } from '../contract';
import { isStatus, openPipedrive, type Pipedrive, type PipedriveContext } from './client';
import { ruleScopes, type PipedriveSettings } from './settings';

/**
 * Our webhooks at Pipedrive (webhooks v2, registered through the v1 webhooks API) protected by
 * HTTP basic auth credentials we generate: `change` on deals (stage moves, won, lost), `change` on
 * leads when leads are sent, and `create` on persons (ongoing contact syncs).
 */

/** The basic-auth user and password live in the integration's webhook secrets under these names. */
export const AUTH_USER = 'http_auth_user';
export const AUTH_PASSWORD = 'http_auth_password';
/** How our webhooks are named at Pipedrive (and told apart from hand-made ones). */
const HOOK_NAME_PREFIX = 'Referloop:';

const hookSchema = z.object({
  id: z.number().int(),
  subscription_url: z.string(),
  event_action: z.string(),
  event_object: z.string(),
  version: z.string().nullable().optional(),
  http_auth_user: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
});
const hooksSchema = z.object({ data: z.array(hookSchema).nullable() });
const createdSchema = z.object({ data: hookSchema });

type Action = 'change' | 'create';
type EventObject = 'deal' | 'lead' | 'person';

/** The events the settings need. */
export function neededEvents(settings: PipedriveSettings): Array<{ action: Action; object: EventObject }> {
  const events: Array<{ action: Action; object: EventObject }> = [{ action: 'change', object: 'deal' }];
  if (ruleScopes(settings).some((s) => s.rules.send_as === 'lead')) events.push({ action: 'change', object: 'lead' });
  events.push({ action: 'create', object: 'person' });
  return events;
}

export async function registerWebhooks(ctx: PipedriveContext, input: { url: string; existing: WebhookRegistration[] }): Promise<RegisterResult> {
  const pd = await openPipedrive(ctx);
  const stored = ctx.webhookSecrets[AUTH_USER] !== undefined && ctx.webhookSecrets[AUTH_PASSWORD] !== undefined ? { user: ctx.webhookSecrets[AUTH_USER], password: ctx.webhookSecrets[AUTH_PASSWORD] } : null;
  // The user's own (for hand-made webhooks), else the ones we generated before, else new ones.
  const { user, password } = ctx.credentials.webhook_auth ?? stored ?? { user: `referloop-${randomBytes(4).toString('hex')}`, password: randomBytes(24).toString('base64url') };
  // Pipedrive never shows a webhook's password again: one is only adopted if we still hold its credentials.
  const known = stored !== null && stored.user === user && stored.password === password;

  // https://developers.pipedrive.com/docs/api/v1/Webhooks#getWebhooks
  const listed = hooksSchema.parse(await pd.v1.webhooks.getWebhooks()).data ?? [];
  // Ours: the ones we stored, and any we named (made before a crash kept us from storing it). A
  // webhook the user added by hand to the same URL is theirs and is left alone.
  const ours = listed.filter((h) => input.existing.some((e) => e.id === String(h.id)) || (h.subscription_url === input.url && (h.name ?? '').startsWith(HOOK_NAME_PREFIX)));
  const kept: WebhookRegistration[] = [];
  const adopted = new Set<number>();
  for (const { action, object } of neededEvents(ctx.settings)) {
    // Adopted only when it sends v2 payloads to this URL with the credentials we still hold.
    const same = ours.find((h) => !adopted.has(h.id) && h.subscription_url === input.url && h.event_action === action && h.event_object === object && h.version === '2.0' && known && h.http_auth_user === user);
    if (same) {
      adopted.add(same.id);
      kept.push({ id: String(same.id), event: `${action}.${object}`, url: input.url });
      continue;
    }
    // https://developers.pipedrive.com/docs/api/v1/Webhooks#addWebhook (version 2.0, basic auth)
    const created = createdSchema.parse(
      await pd.v1.webhooks.addWebhook({
        AddWebhookRequest: {
          subscription_url: input.url,
          event_action: action,
          event_object: object,
          name: `${HOOK_NAME_PREFIX} ${action} ${object}`,
          http_auth_user: user,
          http_auth_password: password,
          version: '2.0',
        },
      }),
    );
    adopted.add(created.data.id);
    kept.push({ id: String(created.data.id), event: `${action}.${object}`, url: input.url });
  }
  // Ours but no longer needed (leads switched off, another URL, credentials we no longer hold).
  for (const stale of ours.filter((h) => !adopted.has(h.id))) await deleteHook(pd, String(stale.id));
  return { webhooks: kept, secrets: { [AUTH_USER]: user, [AUTH_PASSWORD]: password } };
}

async function deleteHook(pd: Pipedrive, id: string): Promise<void> {
  const numeric = Number(id);
  if (!Number.isInteger(numeric)) return;
  try {
    // https://developers.pipedrive.com/docs/api/v1/Webhooks#deleteWebhook
    await pd.v1.webhooks.deleteWebhook({ id: numeric });
  } catch (err) {
    if (!isStatus(err, 404) && !isStatus(err, 410)) throw err;
  }
}

export async function unregisterWebhooks(ctx: PipedriveContext, webhooks: WebhookRegistration[]): Promise<void> {
  const pd = await openPipedrive(ctx);
  for (const hook of webhooks) await deleteHook(pd, hook.id);
}
