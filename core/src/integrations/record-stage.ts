import { stageObjects, stageRank, type RecordStage, type Vendor } from '@referloop/connectors';
import { z } from 'zod';
import type { Queryable } from '../db';
import { crmEntryOf, type CrmEntry, type CrmStage } from './vendor-records';

/**
 * The participant's `crm.<vendor>.stage`: where its vendor record stands in the vendor's pipeline
 * or lifecycle, from `stage` signals (and the first stage a push reports). Written in the caller's
 * transaction, under the participant row's lock, so two events about one participant apply one
 * after the other. The rules, in order:
 * - a pipeline record's stage (deal, opportunity) is never replaced by a person's (lead, contact);
 * - when we stored the participant's record of that object (the deal we pushed), only that
 *   record's stage counts, not another deal of the same person;
 * - an older event never replaces what a newer one said (by `occurred_at`, else when received);
 * - the same record seen again in the same stage keeps `changed_at` (when it entered the stage).
 */

/** What applying a stage signal did, for the vendor event's bookkeeping. */
export interface StageVerdict {
  status: 'applied' | 'ignored' | 'superseded';
  outcome: string;
}

/** The stage event being applied: its signal's stage, when it happened, and its row (left out of the "newer" check). */
export interface StageEvent {
  id: string;
  stage: RecordStage;
  at: Date;
}

const newerSchema = z.object({ object: z.enum(stageObjects) });

function stored(stage: RecordStage, changedAt: string): CrmStage {
  return {
    object: stage.object,
    record_id: stage.record_id,
    pipeline_id: stage.pipeline_id ?? null,
    pipeline: stage.pipeline ?? null,
    stage_id: stage.stage_id,
    stage: stage.stage ?? null,
    status: stage.status ?? null,
    changed_at: changedAt,
  };
}

const label = (s: Pick<CrmStage, 'object' | 'record_id' | 'stage_id' | 'stage'>) => `${s.object} ${s.record_id} in '${s.stage ?? s.stage_id}'`;

async function lockedEntry(q: Queryable, workspaceId: string, participantId: string, vendor: Vendor): Promise<{ entry: CrmEntry | null } | null> {
  const [row] = await q.query<{ crm: Record<string, unknown> }>('SELECT crm FROM participants WHERE id = $1 AND workspace_id = $2 FOR UPDATE', [participantId, workspaceId]);
  return row ? { entry: crmEntryOf(row.crm, vendor) } : null;
}

async function writeStage(q: Queryable, workspaceId: string, participantId: string, vendor: Vendor, entry: CrmEntry | null, stage: CrmStage): Promise<void> {
  const next: CrmEntry = { ...(entry ?? { ids: {} }), stage };
  await q.query('UPDATE participants SET crm = crm || $3::jsonb WHERE id = $1 AND workspace_id = $2', [participantId, workspaceId, JSON.stringify({ [vendor]: next })]);
}

/** Apply one `stage` signal to the participant it matched. */
export async function applyStageEvent(q: Queryable, workspaceId: string, vendor: Vendor, participantId: string, event: StageEvent): Promise<StageVerdict> {
  const locked = await lockedEntry(q, workspaceId, participantId, vendor);
  if (!locked) return { status: 'ignored', outcome: `participant ${participantId} no longer exists` };
  const { entry } = locked;
  const incoming = event.stage;
  const current = entry?.stage ?? null;
  const rank = stageRank(incoming.object);

  if (current && stageRank(current.object) > rank) return { status: 'ignored', outcome: `the ${current.object} stage is shown; a ${incoming.object} stage does not replace it` };
  const ours = entry?.ids[incoming.object];
  if (ours !== undefined && ours !== incoming.record_id) return { status: 'ignored', outcome: `${incoming.object} ${incoming.record_id} is not the ${incoming.object} ${ours} stored for the participant` };

  // Out of order: a stage of this rank or above that a newer event reported wins over this one.
  const newer = await q.query<unknown>(
    `SELECT signal->'stage'->>'object' AS object FROM vendor_events
      WHERE participant_id = $1 AND vendor = $2 AND kind = 'stage' AND status = 'applied' AND id <> $3
        AND COALESCE(occurred_at, received_at) > $4`,
    [participantId, vendor, event.id, event.at],
  );
  const outranked = newer.some((row) => {
    const parsed = newerSchema.safeParse(row);
    return !parsed.success || stageRank(parsed.data.object) >= rank;
  });
  if (outranked) return { status: 'superseded', outcome: 'a newer stage from the vendor was applied already' };
  if (current && stageRank(current.object) === rank && Date.parse(current.changed_at) > event.at.getTime()) {
    return { status: 'superseded', outcome: `${label(current)} since ${current.changed_at} is newer` };
  }

  if (current && current.object === incoming.object && current.record_id === incoming.record_id && current.stage_id === incoming.stage_id) {
    // Seen again in the same stage: names and status may be new, the time it entered the stage is not.
    const same = stored({ ...incoming, pipeline: incoming.pipeline ?? current.pipeline, stage: incoming.stage ?? current.stage, status: incoming.status ?? current.status }, current.changed_at);
    if (JSON.stringify(same) !== JSON.stringify(current)) await writeStage(q, workspaceId, participantId, vendor, entry, same);
    return { status: 'applied', outcome: `stage unchanged: ${label(same)}` };
  }
  const next = stored(incoming, event.at.toISOString());
  await writeStage(q, workspaceId, participantId, vendor, entry, next);
  return { status: 'applied', outcome: `stage: ${label(next)}` };
}

/**
 * The stage a push reports for a record it made (a new deal's first stage), kept only while no
 * stage is known: whatever a vendor event said already is newer. In the push's transaction.
 */
export async function storePushedStage(q: Queryable, workspaceId: string, participantId: string, vendor: Vendor, stage: RecordStage, at: Date): Promise<void> {
  const locked = await lockedEntry(q, workspaceId, participantId, vendor);
  if (!locked || locked.entry?.stage) return;
  await writeStage(q, workspaceId, participantId, vendor, locked.entry, stored(stage, at.toISOString()));
}
