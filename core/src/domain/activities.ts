import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { newId } from '../lib/ids';

/**
 * Add an entry to a participant's timeline (in the transaction of the change it records), dated by
 * the hub's clock like the change itself — not the database's, which a test's moved clock (or a
 * hub whose clock differs from the database server's) would not agree with.
 */
export async function recordActivity(
  q: Queryable,
  clock: Pick<HubContext, 'now'>,
  workspaceId: string,
  participantId: string,
  kind: string,
  source: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await q.query('INSERT INTO activities (id, workspace_id, participant_id, kind, source, data, created_at) VALUES ($1,$2,$3,$4,$5,$6::jsonb,$7)', [
    newId('timeline'),
    workspaceId,
    participantId,
    kind,
    source,
    JSON.stringify(data),
    clock.now(),
  ]);
}
