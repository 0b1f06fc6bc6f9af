import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RecordStage } from '../contract';
import { MetadataCache } from '../metadata-cache';
import { apiHost, type HubSpot, type HubSpotContext } from './client';
import { listContactProperties } from './properties';
import { RULE_PROPERTIES } from './qualify';

/**
 * Names for HubSpot stages, kept per account for a while (see MetadataCache): deal stages with
 * their pipeline and whether the stage closes the deal won or lost (the stage's `isClosed` and
 * `probability` metadata), and the labels of the lifecycle stages (custom ones included).
 */

interface DealStage {
  pipeline_id: string;
  pipeline: string;
  stage: string;
  status: 'open' | 'won' | 'lost';
}

const pipelinesSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      stages: z.array(z.object({ id: z.string(), label: z.string(), metadata: z.record(z.string(), z.unknown()).optional() })),
    }),
  ),
});

const cacheOpts = { ttlMs: 10 * 60_000, retryMs: 30_000, maxEntries: 1_000 };
/** Deal stage id → its pipeline, name and status (HubSpot stage ids are unique across pipelines). */
export const hubspotDealStages = new MetadataCache<Map<string, DealStage>>(cacheOpts);
/** Lifecycle stage value → label. */
export const hubspotLifecycleLabels = new MetadataCache<Map<string, string>>(cacheOpts);

function accountKey(ctx: HubSpotContext): string {
  const c = ctx.credentials;
  const secret = 'refresh_token' in c ? c.refresh_token : 'access_token' in c && c.access_token ? c.access_token : 'client_id' in c ? c.client_id : '';
  return `${apiHost(ctx)}|${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;
}

/** A closed stage with a win probability of 1 is won, any other closed stage lost. */
function statusOf(metadata: Record<string, unknown> | undefined): DealStage['status'] {
  if (String(metadata?.isClosed) !== 'true') return 'open';
  return Number(metadata?.probability) >= 1 ? 'won' : 'lost';
}

async function loadDealStages(hs: HubSpot): Promise<Map<string, DealStage>> {
  // https://developers.hubspot.com/docs/api/crm/pipelines (GET /crm/v3/pipelines/deals)
  const answer = pipelinesSchema.parse(await hs.call((c) => c.crm.pipelines.pipelinesApi.getAll('deals')));
  const out = new Map<string, DealStage>();
  for (const p of answer.results) for (const s of p.stages) out.set(s.id, { pipeline_id: p.id, pipeline: p.label, stage: s.label, status: statusOf(s.metadata) });
  return out;
}

async function loadLifecycleLabels(hs: HubSpot): Promise<Map<string, string>> {
  const property = (await listContactProperties(hs)).find((p) => p.name === RULE_PROPERTIES.lifecycle);
  return new Map((property?.options ?? []).map((o) => [o.value, o.label]));
}

/** A deal stage's pipeline, name and status; null when HubSpot does not know the stage. */
export async function lookupDealStage(ctx: HubSpotContext, hs: HubSpot, stageId: string): Promise<DealStage | null> {
  const stages = await hubspotDealStages.get(accountKey(ctx), () => loadDealStages(hs), (m) => m.has(stageId));
  return stages.get(stageId) ?? null;
}

/** The stage named (pipeline, stage, won or lost for deals); as it came when HubSpot does not know it. */
export async function nameStage(ctx: HubSpotContext, hs: HubSpot, stage: RecordStage): Promise<RecordStage> {
  if (stage.object === 'deal') {
    const known = await lookupDealStage(ctx, hs, stage.stage_id);
    return known ? { ...stage, ...known } : stage;
  }
  const labels = await hubspotLifecycleLabels.get(accountKey(ctx), () => loadLifecycleLabels(hs), (m) => m.has(stage.stage_id));
  const label = labels.get(stage.stage_id);
  return label ? { ...stage, stage: label } : stage;
}
