import { z } from 'zod';
import { defineConnector } from '../contract';
import { openHubSpot } from './client';
import { pollChanges, pollIntervalMs } from './poll';
import { describeOptions } from './options';
import { prepareSettings } from './properties';
import { BATCH_MAX, pushParticipant, pushParticipants } from './push';
import { resolveSignal } from './resolve';
import { credentialsSchema, settingsSchema, syncFilterSchema, type HubSpotCredentials, type HubSpotSettings } from './settings';
import { contactInFilter, listContacts, writeReferralLinks } from './sync';
import { parseWebhook, registerWebhooks, unregisterWebhooks } from './webhooks';

const accountSchema = z.object({ portalId: z.number().int(), uiDomain: z.string().optional() });

/**
 * The HubSpot connector, on the official `@hubspot/api-client`: participants pushed as contacts by
 * batch upsert on email (with an optional deal), the `referloop` contact properties created,
 * qualification on lifecycle stage, lead status or deal stage through signed app webhooks, workflow
 * webhooks or polling, and contact sync (all contacts or a list) with links written back 100 a call;
 * an ongoing sync over a list imports only the new contacts that are in the list.
 */
export const hubspotConnector = defineConnector<HubSpotCredentials, HubSpotSettings>({
  vendor: 'hubspot',
  displayName: 'HubSpot',
  credentialsSchema,
  settingsSchema,
  syncFilterSchema,
  linkBatchSize: BATCH_MAX,
  contactPageSize: BATCH_MAX,
  pushBatchSize: BATCH_MAX,

  async verifyCredentials(ctx) {
    const hs = await openHubSpot(ctx);
    // https://developers.hubspot.com/docs/api/settings/account-information-api (GET /account-info/v3/details)
    const account = accountSchema.parse(await hs.request('GET', '/account-info/v3/details'));
    // The portal is the installation: it routes a public app's webhooks to this workspace.
    return { id: String(account.portalId), name: account.uiDomain ?? null };
  },
  prepareSettings,
  describeOptions,
  registerWebhooks,
  unregisterWebhooks,
  pushParticipant,
  pushParticipants,
  listContacts,
  contactInFilter,
  writeReferralLinks,
  parseWebhook,
  resolveSignal,
  pollIntervalMs,
  pollChanges,
});

export default hubspotConnector;
