import { signalSchema, type BaseSettings, type Signal, type Vendor } from '@referloop/connectors';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { changeReferralStatus } from '../domain/qualification';
import { enqueue } from '../jobs/enqueue';
import { requireConnector } from './connector-context';
import { importContact } from './import-contact';
import { applyStageEvent } from './record-stage';
import { findIntegrationById, type IntegrationRow } from './rows';
import { applySpend } from './spend';
import { matchParticipant } from './vendor-records';

interface VendorEventRow {
  id: string;
  workspace_id: string;
  integration_id: string;
  vendor: Vendor;
  vendor_event_id: string;
  signal: unknown;
  occurred_at: Date | null;
  received_at: Date;
  status: 'received' | 'applied' | 'ignored' | 'superseded';
}

interface Verdict {
  status: 'applied' | 'ignored' | 'superseded';
  participantId: string | null;
  outcome: string;
}

/**
 * Apply one stored vendor event through the same qualification path as the API, in one
 * transaction with marking the event applied: it takes effect exactly once, however often it was
 * delivered or its job was retried.
 */
export async function applyVendorEvent(hub: HubContext, eventId: string): Promise<Verdict | null> {
  return hub.db.tx(async (q) => {
    const [event] = await q.query<VendorEventRow>('SELECT * FROM vendor_events WHERE id = $1 FOR UPDATE', [eventId]);
    if (!event || event.status !== 'received') return null;
    const integration = await findIntegrationById(q, event.integration_id);
    const verdict: Verdict = integration ? await decide(q, hub, integration, event) : { status: 'ignored', participantId: null, outcome: 'the integration no longer exists' };
    await q.query('UPDATE vendor_events SET status = $2, participant_id = $3, outcome = $4, applied_at = $5 WHERE id = $1', [
      event.id,
      verdict.status,
      verdict.participantId,
      verdict.outcome.slice(0, 1000),
      hub.now(),
    ]);
    return verdict;
  });
}

/** The campaigns a signal may touch: those the integration covers, narrowed by the signal's rule. */
function campaignScope(settings: BaseSettings, fromSignal: string[] | undefined): string[] | null {
  const covered = Object.keys(settings.campaigns);
  if (!fromSignal) return covered.length > 0 ? covered : null;
  return covered.length > 0 ? fromSignal.filter((id) => covered.includes(id)) : fromSignal;
}

const ignored = (outcome: string, participantId: string | null = null): Verdict => ({ status: 'ignored', participantId, outcome });

async function decide(q: Queryable, hub: HubContext, integration: IntegrationRow, event: VendorEventRow): Promise<Verdict> {
  const connector = await requireConnector(integration.vendor);
  const settings = connector.settingsSchema.parse(integration.settings);
  const signal = signalSchema.parse(event.signal);
  const scope = campaignScope(settings, signal.campaign_ids);
  if (scope !== null && scope.length === 0) return ignored('no campaign of this integration is concerned by the event');
  if (signal.kind === 'contact_created') return importCreatedContact(q, hub, integration, signal, scope);

  const vendor = integration.vendor;
  const participant = await matchParticipant(q, integration.workspace_id, vendor, signal.match, scope);
  if (!participant) return ignored(`no participant matches ${describeMatch(signal)}`);
  if (signal.kind === 'stage') {
    // Any participant with a vendor record has a stage, referred or not.
    const at = event.occurred_at ?? event.received_at;
    const verdict = await applyStageEvent(q, integration.workspace_id, vendor, participant.id, { id: event.id, stage: signal.stage, at });
    return { status: verdict.status, participantId: participant.id, outcome: verdict.status === 'applied' ? `${verdict.outcome} (matched by ${participant.via})` : verdict.outcome };
  }
  if (participant.type !== 'referred') return ignored(`participant ${participant.id} joined without a referrer`, participant.id);

  if (signal.kind === 'spend') {
    const rule = connector.spendRule?.(settings, participant.campaign_id) ?? null;
    if (!rule) return ignored(`campaign ${participant.campaign_id} has no spend rule`, participant.id);
    if (rule.match_by_email === false && participant.via === 'email') return ignored(`campaign ${participant.campaign_id} counts spend only on the ${vendor} record made for the participant`, participant.id);
    return { status: 'applied', participantId: participant.id, outcome: await applySpend(q, hub, integration.workspace_id, vendor, participant, signal, rule) };
  }

  if (event.occurred_at) {
    // Out of order: a newer status change from this vendor already applied wins over this one.
    const newer = await q.query(
      `SELECT 1 FROM vendor_events WHERE participant_id = $1 AND vendor = $2 AND status = 'applied'
         AND kind IN ('qualify', 'unqualify') AND occurred_at > $3 LIMIT 1`,
      [participant.id, vendor, event.occurred_at],
    );
    if (newer.length > 0) return { status: 'superseded', participantId: participant.id, outcome: 'a newer status change from the vendor was applied already' };
  }
  const target = signal.kind === 'qualify' ? 'qualified' : 'unqualified';
  const outcome = await changeReferralStatus(q, hub, integration.workspace_id, { participant_id: participant.id }, target, {
    source: vendor,
    reason: signal.reason ?? `${vendor} event ${signal.event_id}`,
    idempotencyKey: `${vendor}:${signal.event_id}`,
  });
  return { status: 'applied', participantId: participant.id, outcome: outcome.changed ? `${target} (matched by ${participant.via})` : `already ${participant.referral_status}` };
}

function describeMatch(signal: Extract<Signal, { match: unknown }>): string {
  const m = signal.match;
  return [m.record && `${m.record.object} ${m.record.id}`, m.records && m.records.map((r) => `${r.object} ${r.id}`).join(' or '), m.referral_code && `code ${m.referral_code}`, m.email && `email ${m.email}`].filter(Boolean).join(', ');
}

/** `ongoing` syncs: a contact created at the vendor joins the sync's campaign and gets its link written back. */
async function importCreatedContact(q: Queryable, hub: HubContext, integration: IntegrationRow, signal: Extract<Signal, { kind: 'contact_created' }>, scope: string[] | null): Promise<Verdict> {
  const ongoing = integration.ongoing_sync;
  if (!ongoing || integration.status === 'disconnected') return ignored('no ongoing contact sync');
  if (scope !== null && !scope.includes(ongoing.campaign_id)) return ignored('the ongoing sync campaign is not concerned by the event');
  const result = await importContact(q, hub, integration.workspace_id, integration.vendor, ongoing.campaign_id, signal.contact);
  if (result.kind === 'failed') return ignored(result.message);
  await q.query(
    `UPDATE sync_runs SET processed = processed + 1, created = created + $2, updated = updated + $3, updated_at = $4 WHERE id = $1`,
    [ongoing.sync_id, result.kind === 'created' ? 1 : 0, result.kind === 'updated' ? 1 : 0, hub.now()],
  );
  await enqueue(q, 'crm.write_links', { integration_id: integration.id, sync_id: ongoing.sync_id, links: [result.link] });
  return { status: 'applied', participantId: result.participantId, outcome: `contact ${result.kind}` };
}
