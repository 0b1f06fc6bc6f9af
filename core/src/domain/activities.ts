import type { Queryable } from '../db';
import { newId } from '../lib/ids';

/** Add an entry to a participant's timeline (in the transaction of the change it records). */
export async function recordActivity(
  q: Queryable,
  workspaceId: string,
  participantId: string,
  kind: string,
  source: string,
  data: Record<string, unknown> = {},
): Promise<void> {
  await q.query('INSERT INTO activities (id, workspace_id, participant_id, kind, source, data) VALUES ($1,$2,$3,$4,$5,$6::jsonb)', [
    newId('timeline'),
    workspaceId,
    participantId,
    kind,
    source,
    JSON.stringify(data),
  ]);
}
