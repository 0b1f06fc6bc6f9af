import { coversCampaign, getConnector, pushResultSchema, pushTypesFor, type BaseSettings, type PushInput } from '@referloop/connectors';
import { z } from 'zod';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { recordActivity } from '../domain/activities';
import { getCampaign } from '../domain/campaigns';
import { changeReferralStatus } from '../domain/qualification';
import { findParticipant } from '../domain/participant-queries';
import type { ParticipantView } from '../domain/rows';
import type { EventRow } from '../events/envelope';
import { enqueue } from '../jobs/enqueue';
import type { OpenedIntegration } from './connector-context';
import { storePushedStage } from './record-stage';
import type { IntegrationRow } from './rows';
import { callVendor } from './vendor-calls';
import { crmEntryOf, storeVendorIds } from './vendor-records';

const name = (first: string | null, last: string | null) => [first, last].filter(Boolean).join(' ') || null;

const createdParticipantSchema = z.object({ id: z.string(), campaign_id: z.string(), type: z.enum(['direct', 'referred', 'imported']) });

/**
 * The relay's fan-out for integrations: each `participant.created` → one `crm.push` job per
 * connected vendor whose settings cover the participant's campaign and type. Runs in the relay's
 * transaction; the dedupe key makes an event relayed twice add nothing.
 */
export async function fanOutToCrms(q: Queryable, events: EventRow[]): Promise<void> {
  const created = events.filter((e) => e.type === 'participant.created');
  if (created.length === 0) return;
  const workspaces = [...new Set(created.map((e) => e.workspace_id))];
  const integrations = await q.query<IntegrationRow>("SELECT * FROM integrations WHERE workspace_id = ANY($1::text[]) AND status IN ('connected', 'error')", [workspaces]);
  if (integrations.length === 0) return;
  const targets: Array<{ row: IntegrationRow; settings: BaseSettings; batched: boolean }> = [];
  for (const row of integrations) {
    const connector = await getConnector(row.vendor);
    const settings = connector?.settingsSchema.safeParse(row.settings);
    if (settings?.success) targets.push({ row, settings: settings.data, batched: connector?.pushParticipants !== undefined });
  }
  for (const event of created) {
    const participant = createdParticipantSchema.safeParse(event.data);
    if (!participant.success) continue;
    const p = participant.data;
    for (const { row, settings, batched } of targets) {
      if (row.workspace_id !== event.workspace_id || !coversCampaign(settings, p.campaign_id) || !pushTypesFor(settings, p.campaign_id).includes(p.type)) continue;
      // Batch-capable vendors get theirs gathered into batches (push-batch.ts); the dedupe key is the same either way.
      await enqueue(q, batched ? 'crm.push_batched' : 'crm.push', { integration_id: row.id, participant_id: p.id }, { dedupeKey: `crm.push:${row.id}:${p.id}` });
    }
  }
}

function toPushInput(hub: HubContext, p: ParticipantView, campaignName: string, referrer: ParticipantView | null, existing: Record<string, string> | null): PushInput {
  return {
    participant_id: p.id,
    campaign_id: p.campaign_id,
    campaign_name: campaignName,
    type: p.type,
    email: p.email,
    first_name: p.first_name,
    last_name: p.last_name,
    name: name(p.first_name, p.last_name),
    code: p.code,
    referral_link: hub.links.referralLink(p.code),
    referral_status: p.referral_status,
    created_at: p.created_at.toISOString(),
    referrer: referrer
      ? {
          id: referrer.id,
          email: referrer.email,
          first_name: referrer.first_name,
          last_name: referrer.last_name,
          name: name(referrer.first_name, referrer.last_name),
          code: referrer.code,
          referral_link: hub.links.referralLink(referrer.code),
        }
      : null,
    existing,
  };
}

/**
 * Push one participant to the vendor and keep the vendor ids on it (`crm.<vendor>`), with a
 * timeline entry. Idempotent: a retry passes the ids stored by an earlier push, and connectors
 * dedupe by email, so a push that reached the vendor before a crash finds its record.
 */
export async function pushParticipant(
  hub: HubContext,
  opened: OpenedIntegration,
  participantId: string,
  /** how the input reaches the vendor: one call by default; batch-capable connectors join a batch (push-batch.ts) */
  send?: (input: PushInput) => Promise<unknown>,
): Promise<'pushed' | 'skipped'> {
  const { row, connector, ctx } = opened;
  const p = await findParticipant(hub.db, row.workspace_id, participantId);
  if (!p) return 'skipped';
  const entry = crmEntryOf(p.crm, row.vendor);
  // It came from this vendor's contacts: the record exists there already.
  if (entry?.origin === 'sync') return 'skipped';
  const campaign = await getCampaign(hub.db, row.workspace_id, p.campaign_id);
  // A test-mode campaign never reaches a vendor.
  if (campaign.test_mode) return 'skipped';
  const referrer = p.referrer_id ? await findParticipant(hub.db, row.workspace_id, p.referrer_id) : null;
  const existing = entry && Object.keys(entry.ids).length > 0 ? entry.ids : null;
  const input = toPushInput(hub, p, campaign.name, referrer, existing);
  const result = pushResultSchema.parse(await (send ? send(input) : callVendor(hub, row, 'pushParticipant', () => connector.pushParticipant(ctx, input))));
  const changed = JSON.stringify(existing ?? {}) !== JSON.stringify({ ...(existing ?? {}), ...result.ids });
  await hub.db.tx(async (q) => {
    await storeVendorIds(q, row.workspace_id, p.id, row.vendor, result.ids, { origin: entry?.origin ?? 'push', pushed_at: hub.now().toISOString() });
    if (result.stage) await storePushedStage(q, row.workspace_id, p.id, row.vendor, result.stage, hub.now());
    if (changed) await recordActivity(q, hub, row.workspace_id, p.id, 'crm', row.vendor, { action: result.created ? 'created' : 'linked', ids: result.ids });
    if (result.unqualify_reason && p.type === 'referred' && p.referral_status === 'pending') {
      await changeReferralStatus(q, hub, row.workspace_id, { participant_id: p.id }, 'unqualified', { source: row.vendor, reason: result.unqualify_reason, idempotencyKey: `${row.vendor}:push:${p.id}` });
    }
  });
  return 'pushed';
}
