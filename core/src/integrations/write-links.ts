import { linkWriteResultSchema, type LinkWrite } from '@referloop/connectors';
import type { HubContext } from '../context';
import type { OpenedIntegration } from './connector-context';
import { callVendor } from './vendor-calls';
import { storeVendorIds } from './vendor-records';

/** SQL for `failures` with the new ones (a jsonb parameter) appended, keeping the latest 20. */
export function appendFailures(param: string): string {
  return `(SELECT COALESCE(jsonb_agg(f ORDER BY n), '[]'::jsonb) FROM jsonb_array_elements(failures || ${param}::jsonb) WITH ORDINALITY AS t(f, n)
     WHERE n > jsonb_array_length(failures || ${param}::jsonb) - 20)`;
}

export interface LinksOutcome {
  written: number;
  failures: Array<{ contact_id: string; message: string }>;
}

/**
 * Write referral links (and codes) onto vendor contacts in the connector's batch size, then note
 * on each participant that its link is there. Writing the same link again changes nothing at the
 * vendor, which is what makes a resumed sync safe. `fromPending`: the links are the run's
 * `pending_links`, and only those still pending when a batch is settled are counted (another run
 * of the same sync may have settled them meanwhile).
 */
export async function writeLinks(hub: HubContext, opened: OpenedIntegration, links: LinkWrite[], syncId: string | null, fromPending = false): Promise<LinksOutcome> {
  const { row, connector, ctx } = opened;
  const outcome: LinksOutcome = { written: 0, failures: [] };
  for (let i = 0; i < links.length; i += connector.linkBatchSize) {
    const batch = links.slice(i, i + connector.linkBatchSize);
    const result = linkWriteResultSchema.parse(await callVendor(hub, row, 'writeReferralLinks', () => connector.writeReferralLinks(ctx, batch)));
    const failed = new Set(result.failed.map((f) => f.contact_id));
    const done = batch.filter((l) => !failed.has(l.contact_id));
    const at = hub.now();
    await hub.db.tx(async (q) => {
      for (const link of done) await storeVendorIds(q, row.workspace_id, link.participant_id, row.vendor, {}, { link_written_at: at.toISOString() });
      if (syncId) {
        let counted = done.length;
        let failures = result.failed;
        if (fromPending) {
          const [pendingRow] = await q.query<{ ids: string[] }>(
            `SELECT COALESCE((SELECT jsonb_agg(l->>'contact_id') FROM jsonb_array_elements(pending_links) AS l), '[]'::jsonb) AS ids FROM sync_runs WHERE id = $1 FOR UPDATE`,
            [syncId],
          );
          const still = new Set(pendingRow?.ids ?? []);
          counted = done.filter((l) => still.has(l.contact_id)).length;
          failures = failures.filter((f) => still.has(f.contact_id));
        }
        await q.query(
          // What this batch settled leaves the run's pending links in the same transaction: a
          // resumed run writes only what is left, and counts nothing twice.
          `UPDATE sync_runs SET links_written = links_written + $2, failed = failed + $3,
             failures = ${appendFailures('$4')},
             pending_links = (SELECT jsonb_agg(l) FROM jsonb_array_elements(pending_links) AS l WHERE NOT (l->>'contact_id' = ANY($6::text[]))),
             updated_at = $5
           WHERE id = $1`,
          [
            syncId,
            counted,
            failures.length,
            JSON.stringify(failures.map((f) => ({ contact_id: f.contact_id, message: `link not written: ${f.message}` }))),
            at,
            batch.map((l) => l.contact_id),
          ],
        );
      }
    });
    outcome.written += done.length;
    outcome.failures.push(...result.failed);
  }
  return outcome;
}
