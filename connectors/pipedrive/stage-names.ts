import { createHash } from 'node:crypto';
import type { RecordStage } from '../contract';
import { MetadataCache } from '../metadata-cache';
import type { Pipedrive, PipedriveContext } from './client';
import { listPipelines, listStages } from './fields';

/**
 * Pipedrive's pipeline and stage names, read once per company through the pipelines and stages
 * lists and kept for a while (see MetadataCache): a deal's stage signal carries ids only, and
 * naming it must not cost two calls per stage move.
 */

interface Names {
  pipelines: Map<string, string>;
  stages: Map<string, { name: string; pipeline_id: string }>;
}

export const pipedriveStageNames = new MetadataCache<Names>({ ttlMs: 10 * 60_000, retryMs: 30_000, maxEntries: 1_000 });

/** One entry per company: the OAuth api_domain is the company's own host; an API token is one user's in one company. */
function accountKey(ctx: PipedriveContext, pd: Pipedrive): string {
  const token = 'api_token' in ctx.credentials ? ctx.credentials.api_token : '';
  return `${pd.host}|${createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
}

async function load(pd: Pipedrive): Promise<Names> {
  // One call after the other: they share the company's rate budget.
  const pipelines = await listPipelines(pd);
  const stages = await listStages(pd);
  return {
    pipelines: new Map(pipelines.map((p) => [String(p.id), p.name])),
    stages: new Map(stages.map((s) => [String(s.id), { name: s.name, pipeline_id: String(s.pipeline_id) }])),
  };
}

/** A stage's name with its pipeline's id and name; null when Pipedrive does not know the stage. */
export async function lookupStage(ctx: PipedriveContext, pd: Pipedrive, stageId: string): Promise<{ pipeline_id: string; pipeline: string | null; stage: string } | null> {
  const names = await pipedriveStageNames.get(accountKey(ctx, pd), () => load(pd), (n) => n.stages.has(stageId));
  const known = names.stages.get(stageId);
  return known ? { pipeline_id: known.pipeline_id, pipeline: names.pipelines.get(known.pipeline_id) ?? null, stage: known.name } : null;
}

/** The stage with its pipeline and stage names (and its pipeline id, when the signal lacked it); as it came when Pipedrive does not know the stage. */
export async function nameStage(ctx: PipedriveContext, pd: Pipedrive, stage: RecordStage): Promise<RecordStage> {
  const known = await lookupStage(ctx, pd, stage.stage_id);
  return known ? { ...stage, ...known } : stage;
}
