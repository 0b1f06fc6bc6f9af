import { withRetries, type LinkWrite } from '../connectors';
import { hubspotConnector } from '../connectors/hubspot';
import type { HubSpotContext } from '../connectors/hubspot/client';
import { settingsSchema } from '../connectors/hubspot/settings';

/**
 * The vendor side of a contact sync exactly as core runs it (sync-run.ts): one `listContacts` page,
 * then its links written back in batches of `linkBatchSize`, each call under the shared retry
 * decision, until the last page. Used by the 10,000-contact test and bench/hubspot-sync, which
 * measure HubSpot calls and rate-limit time without the hub's database in the way.
 */
export async function syncThroughConnector(apiBaseUrl: string, accessToken: string): Promise<{ contacts: number; retries: number }> {
  const ctx: HubSpotContext = {
    credentials: { access_token: accessToken },
    settings: settingsSchema.parse({}),
    apiBaseUrl,
    webhookSecrets: {},
    now: () => new Date(),
    saveCredentials: async () => undefined,
  };
  let cursor: string | null = null;
  let contacts = 0;
  let retries = 0;
  const opts = { vendor: 'hubspot' as const, maxAttempts: 8, maxInlineWaitMs: 120_000, onRetry: () => void retries++ };
  do {
    const page = await withRetries(() => hubspotConnector.listContacts(ctx, { cursor, filter: null, pageSize: hubspotConnector.contactPageSize }), opts);
    contacts += page.contacts.length;
    const writes: LinkWrite[] = page.contacts.map((c) => ({ contact_id: c.id, participant_id: `p-${c.id}`, code: `C${c.id}`, referral_link: `https://ref.example/r/C${c.id}` }));
    for (let i = 0; i < writes.length; i += hubspotConnector.linkBatchSize) {
      const batch = writes.slice(i, i + hubspotConnector.linkBatchSize);
      const result = await withRetries(() => hubspotConnector.writeReferralLinks(ctx, batch), opts);
      if (result.failed.length > 0) throw new Error(`links not written: ${result.failed[0].message}`);
    }
    cursor = page.next_cursor;
  } while (cursor !== null);
  return { contacts, retries };
}
