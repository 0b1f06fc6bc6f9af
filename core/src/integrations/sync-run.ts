import { contactPageSchema, type LinkWrite } from '@referloop/connectors';
import { z } from 'zod';
import type { HubContext } from '../context';
import { openIntegration, type OpenedIntegration } from './connector-context';
import { importContact } from './import-contact';
import { findIntegrationById, type SyncRunRow } from './rows';
import { callVendor } from './vendor-calls';
import { appendFailures, writeLinks } from './write-links';

const linkWriteSchema = z.object({ contact_id: z.string(), participant_id: z.string(), code: z.string(), referral_link: z.string() });
const pendingLinksSchema = z.array(linkWriteSchema).nullable();

async function loadSync(hub: HubContext, id: string): Promise<SyncRunRow | null> {
  const [row] = await hub.db.query<SyncRunRow>('SELECT * FROM sync_runs WHERE id = $1', [id]);
  return row ?? null;
}

async function finish(hub: HubContext, id: string, state: 'completed' | 'failed' | 'cancelled', error: string | null = null): Promise<void> {
  const now = hub.now();
  await hub.db.query(
    "UPDATE sync_runs SET state = $2, last_error = COALESCE($3, last_error), finished_at = $4, updated_at = $4 WHERE id = $1 AND state IN ('queued', 'running')",
    [id, state, error, now],
  );
}

/**
 * Walk the vendor's contacts page by page. Each page is stored in one transaction together with
 * the cursor of the next page and the links still to write back; the links are written, then the
 * next page is read. Killed at any point, the next run starts by writing the pending links and
 * carries on from the stored cursor: nothing is imported twice and no page is skipped. Two runs of
 * one sync at once (a job retaken while its first run still goes on) store each page once.
 */
export async function runSync(hub: HubContext, syncId: string, signal?: AbortSignal): Promise<SyncRunRow['state'] | 'gone'> {
  let sync = await loadSync(hub, syncId);
  if (!sync) return 'gone';
  if (sync.state !== 'queued' && sync.state !== 'running') return sync.state;
  const integration = await findIntegrationById(hub.db, sync.integration_id);
  if (!integration || integration.status === 'disconnected') {
    await finish(hub, syncId, 'cancelled', 'the integration was disconnected');
    return 'cancelled';
  }
  const opened = await openIntegration(hub, integration, signal);
  await hub.db.query("UPDATE sync_runs SET state = 'running', started_at = COALESCE(started_at, $2), updated_at = $2 WHERE id = $1 AND state = 'queued'", [syncId, hub.now()]);

  for (;;) {
    signal?.throwIfAborted();
    const pending = pendingLinksSchema.parse(sync.pending_links);
    // Each written batch leaves pending_links as it goes (see writeLinks).
    if (pending && pending.length > 0) await writeLinks(hub, opened, pending, syncId, true);
    // The last page is stored and its links written: done.
    if (sync.pages > 0 && sync.cursor === null) {
      await finish(hub, syncId, 'completed');
      hub.log.info({ sync_id: syncId, vendor: sync.vendor, processed: sync.processed, created: sync.created }, 'contact sync completed');
      return 'completed';
    }
    const stored = await importPage(hub, opened, sync);
    if (!stored) {
      await finish(hub, syncId, 'cancelled');
      return 'cancelled';
    }
    sync = stored;
  }
}

/** Read the page at the stored cursor and store it (participants, counts, next cursor, links to write). */
async function importPage(hub: HubContext, opened: OpenedIntegration, sync: SyncRunRow): Promise<SyncRunRow | null> {
  const { row, connector, ctx } = opened;
  const page = contactPageSchema.parse(
    await callVendor(hub, row, 'listContacts', () => connector.listContacts(ctx, { cursor: sync.cursor, filter: sync.filter, pageSize: connector.contactPageSize }), { maxAttempts: 8, maxInlineWaitMs: 120_000 }),
  );
  return hub.db.tx(async (q) => {
    const [current] = await q.query<SyncRunRow>('SELECT * FROM sync_runs WHERE id = $1 FOR UPDATE', [sync.id]);
    // Cancelled (disconnect) while the page was on its way: store nothing more.
    if (current?.state !== 'running') return null;
    // Another run of the same sync (a job retaken from a worker thought lost) stored a page since this
    // one was read: drop ours and carry on from where the sync now stands, so nothing is counted twice.
    if (current.pages !== sync.pages) return current;
    let created = 0;
    let updated = 0;
    const links: LinkWrite[] = [];
    const failures: Array<{ contact_id: string; message: string }> = [];
    for (const contact of page.contacts) {
      const outcome = await importContact(q, hub, row.workspace_id, row.vendor, sync.campaign_id, contact);
      if (outcome.kind === 'failed') failures.push({ contact_id: contact.id, message: outcome.message });
      else {
        if (outcome.kind === 'created') created++;
        else updated++;
        links.push(outcome.link);
      }
    }
    const [next] = await q.query<SyncRunRow>(
      `UPDATE sync_runs SET cursor = $2, pages = pages + 1, processed = processed + $3, created = created + $4, updated = updated + $5,
         failed = failed + $6, failures = ${appendFailures('$7')}, total = COALESCE($8, total), pending_links = $9::jsonb, updated_at = $10
       WHERE id = $1 RETURNING *`,
      [sync.id, page.next_cursor, page.contacts.length, created, updated, failures.length, JSON.stringify(failures), page.total ?? null, JSON.stringify(links), hub.now()],
    );
    return next;
  });
}

/** A sync that failed for good (credentials refused, vendor error) ends as failed, with the reason. */
export async function failSync(hub: HubContext, syncId: string, message: string): Promise<void> {
  await finish(hub, syncId, 'failed', message);
}
