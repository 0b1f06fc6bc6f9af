import { z } from 'zod';
import { defineConnector } from '../contract';
import { openPipedrive } from './client';
import { pollChanges, pollIntervalMs } from './catch-up';
import { prepareSettings } from './fields';
import { describeOptions } from './options';
import { pushParticipant } from './push';
import { resolveSignal } from './resolve';
import { credentialsSchema, settingsSchema, syncFilterSchema, type PipedriveCredentials, type PipedriveSettings } from './settings';
import { contactInFilter, listContacts, PERSON_PAGE_MAX, writeReferralLinks } from './sync';
import { parseWebhook } from './webhook-events';
import { registerWebhooks, unregisterWebhooks } from './webhooks';

const currentUserSchema = z.object({
  data: z.object({ id: z.number().int(), company_id: z.number().int(), company_name: z.string().nullable().optional(), company_domain: z.string().nullable().optional() }),
});

/**
 * The Pipedrive connector, on the official `pipedrive` SDK (v1 and v2 APIs): referred users as
 * deals or leads next to a person deduped by email, qualification when a deal enters the chosen
 * stage (webhooks v2 with basic auth), contact sync with referral links written back.
 */
export const pipedriveConnector = defineConnector<PipedriveCredentials, PipedriveSettings>({
  vendor: 'pipedrive',
  displayName: 'Pipedrive',
  credentialsSchema,
  settingsSchema,
  syncFilterSchema,
  linkBatchSize: 100,
  contactPageSize: PERSON_PAGE_MAX,

  async verifyCredentials(ctx) {
    const pd = await openPipedrive(ctx);
    // https://developers.pipedrive.com/docs/api/v1/Users#getCurrentUser (GET /v1/users/me)
    const me = currentUserSchema.parse(await pd.v1.users.getCurrentUser());
    // One Pipedrive company per workspace: the account is the company.
    return { id: String(me.data.company_id), name: me.data.company_name ?? me.data.company_domain ?? null };
  },
  prepareSettings,
  describeOptions,
  registerWebhooks,
  unregisterWebhooks,
  pushParticipant,
  listContacts,
  contactInFilter,
  writeReferralLinks,
  parseWebhook,
  resolveSignal,
  pollIntervalMs,
  pollChanges,
});

export default pipedriveConnector;
