import { z } from 'zod';
import { defineConnector } from '../contract';
import { VendorError } from '../retry';
import { resolveSignal } from './changes';
import { openSalesforce } from './client';
import { prepareSettings } from './fields';
import { describeOptions } from './options';
import { pollChanges, pollIntervalMs } from './polling';
import { COLLECTION_MAX, pushParticipant, pushParticipants } from './push';
import { credentialsSchema, LEGACY_LOGIN_WARNING, settingsSchema, syncFilterSchema, type SalesforceCredentials, type SalesforceSettings } from './settings';
import { streamChanges, streamsChanges } from './streaming';
import { CONTACT_PAGE_SIZE, listContacts, writeReferralLinks } from './sync';
import { parseWebhook, registerWebhooks, unregisterWebhooks } from './webhooks';

const organizationSchema = z.object({ Id: z.string().min(1), Name: z.string().nullable().optional() });

/**
 * The Salesforce connector, on the official `jsforce` SDK (API version 62.0): referred users
 * pushed as Leads (or Contacts) deduped by email and batched through sObject Collections;
 * qualification when a Lead's Status or an Opportunity's StageName reaches the configured value,
 * seen through Change Data Capture (replayed from the stored replay id after a restart) or SOQL
 * polling; Contacts or Leads synced with their referral links written back.
 */
export const salesforceConnector = defineConnector<SalesforceCredentials, SalesforceSettings>({
  vendor: 'salesforce',
  displayName: 'Salesforce',
  credentialsSchema,
  settingsSchema,
  syncFilterSchema,
  linkBatchSize: COLLECTION_MAX,
  contactPageSize: CONTACT_PAGE_SIZE,
  pushBatchSize: COLLECTION_MAX,

  async verifyCredentials(ctx) {
    const sf = await openSalesforce(ctx);
    // The org itself, through the REST API: an expired access token answers 401 here, which jsforce refreshes.
    // https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_organization.htm
    const [org] = (await sf.query('SELECT Id, Name FROM Organization LIMIT 1', organizationSchema)).records;
    if (!org) throw new VendorError('salesforce', { status: 403, message: 'the user cannot read the Organization: grant the API user "View Setup and Configuration"' });
    const legacy = 'password' in ctx.credentials;
    return { id: org.Id, name: org.Name ?? null, warning: legacy ? LEGACY_LOGIN_WARNING : null };
  },
  prepareSettings,
  describeOptions,
  registerWebhooks,
  unregisterWebhooks,
  pushParticipant,
  pushParticipants,
  listContacts,
  writeReferralLinks,
  parseWebhook,
  resolveSignal,
  pollIntervalMs,
  pollChanges,
  streamsChanges,
  streamChanges,
});

export default salesforceConnector;
