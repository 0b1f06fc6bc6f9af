import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { InboundDelivery, ParticipantMatch, Signal, WebhookVerdict } from '../contract';
import type { PipedriveContext } from './client';
import { allKeysMappedTo, ruleScopes, type PipedriveSettings } from './settings';
import { customValue, personSchema, toContact } from './sync';
import { AUTH_PASSWORD, AUTH_USER } from './webhooks';
import { personCreatedEventId } from './catch-up';

/**
 * Inbound Pipedrive webhooks → signals. Deliveries must carry the basic-auth credentials we
 * registered. Webhooks v2 (`meta.id` per event, `data` + `previous` holding only what changed,
 * custom fields as `{type, value}`) and v1 (`event: "updated.deal"`, `current` + `previous` whole
 * objects) are both read, so hand-made v1 webhooks work too. A deal entering the qualified stage
 * (or turning `won`, when enabled) qualifies; turning `lost` unqualifies when enabled; and every
 * stage move or status change is also a `stage` signal, so the participant shows where its deal is.
 */
// https://pipedrive.readme.io/docs/guide-for-webhooks-v2 · https://pipedrive.readme.io/docs/guide-for-webhooks

const record = z.record(z.string(), z.unknown());
const idLike = z.union([z.string().min(1), z.number()]).transform(String);

const v2Schema = z.object({
  meta: z.object({
    id: idLike,
    action: z.string(),
    entity: z.string(),
    entity_id: idLike.optional(),
    timestamp: z.union([z.string(), z.number()]).optional(),
    version: z.string().optional(),
  }),
  data: record.nullable(),
  previous: record.nullable().optional(),
});
const v1Schema = z.object({
  event: z.string().regex(/^[a-z]+\.[a-zA-Z]+$/),
  meta: z.object({
    id: idLike.optional(),
    action: z.string().optional(),
    object: z.string().optional(),
    timestamp: z.number().optional(),
    timestamp_micro: z.number().optional(),
    webhook_id: idLike.optional(),
  }),
  current: record.nullable(),
  previous: record.nullable().optional(),
});

/** One delivery, whichever version, as what happened to which record. */
interface Change {
  eventId: string;
  occurredAt: string | undefined;
  entity: string;
  action: 'create' | 'change' | 'delete' | 'other';
  current: Record<string, unknown>;
  previous: Record<string, unknown> | null;
  /** v2 keeps custom fields under `custom_fields`, v1 at the top level */
  custom: Record<string, unknown>;
}

const v1Actions: Record<string, Change['action']> = { added: 'create', updated: 'change', deleted: 'delete', merged: 'change' };

function isoTime(value: string | number | undefined, micro?: number): string | undefined {
  if (micro !== undefined) return new Date(Math.floor(micro / 1000)).toISOString();
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

function toChange(json: unknown): Change | null {
  const v2 = v2Schema.safeParse(json);
  if (v2.success && v2.data.data) {
    const { meta, data } = v2.data;
    const action = meta.action === 'create' || meta.action === 'change' || meta.action === 'delete' ? meta.action : 'other';
    const custom = record.safeParse(data.custom_fields);
    return { eventId: meta.id, occurredAt: isoTime(meta.timestamp), entity: meta.entity, action, current: data, previous: v2.data.previous ?? null, custom: custom.success ? custom.data : {} };
  }
  const v1 = v1Schema.safeParse(json);
  if (v1.success && v1.data.current) {
    const { event, meta, current } = v1.data;
    const [verb, object] = event.split('.');
    // v1 has no id per event: the webhook, the object and the moment (to the microsecond) name it.
    const eventId = `v1:${meta.webhook_id ?? '-'}:${event}:${meta.id ?? String(current.id)}:${meta.timestamp_micro ?? meta.timestamp ?? '-'}`;
    return { eventId, occurredAt: isoTime(meta.timestamp, meta.timestamp_micro), entity: object, action: v1Actions[verb] ?? 'other', current, previous: v1.data.previous ?? null, custom: current };
  }
  return null;
}

/** Whether a field changed in this event: v2's `previous` lists only changed fields, v1's is the whole record. */
function changed(change: Change, field: string): boolean {
  if (!change.previous || !(field in change.previous)) return false;
  return change.previous[field] !== change.current[field];
}

const dealStatusSchema = z.enum(['open', 'won', 'lost']);

/**
 * Where the deal stands now, when this change moved it (another stage, won, lost, reopened). It
 * is matched like the rule signals, and through the deal's person when no referral code names the
 * participant: a deal converted from one of our leads, or made by hand for a person we pushed.
 */
function stageSignal(change: Change, dealId: string, match: ParticipantMatch): Signal[] {
  if (!changed(change, 'stage_id') && !changed(change, 'status')) return [];
  const stageId = idLike.safeParse(change.current.stage_id);
  if (!stageId.success) return [];
  const pipelineId = idLike.safeParse(change.current.pipeline_id);
  const status = dealStatusSchema.safeParse(change.current.status);
  const person = idLike.safeParse(change.current.person_id);
  const byPerson = !match.referral_code && person.success ? { records: [{ object: 'person', id: person.data }] } : {};
  return [
    {
      kind: 'stage',
      event_id: `${change.eventId}:stage`,
      occurred_at: change.occurredAt,
      match: { ...match, ...byPerson },
      stage: { object: 'deal', record_id: dealId, pipeline_id: pipelineId.success ? pipelineId.data : null, stage_id: stageId.data, status: status.success ? status.data : null },
    },
  ];
}

/** The deal's signals: one per kind, naming the campaigns whose rule it satisfies, and where it stands now. */
function dealSignals(settings: PipedriveSettings, change: Change): Signal[] {
  if (change.action !== 'change') return [];
  const stageId = change.current.stage_id;
  const status = change.current.status;
  const enteredStage = changed(change, 'stage_id');
  const statusTurned = changed(change, 'status');
  const qualifying: Array<string | null> = [];
  const unqualifying: Array<string | null> = [];
  for (const { campaignId, rules } of ruleScopes(settings)) {
    if (rules.unqualify_on_lost && statusTurned && status === 'lost') unqualifying.push(campaignId);
    else if ((enteredStage && rules.qualified_stage_id !== null && stageId === rules.qualified_stage_id) || (rules.qualify_on_won && statusTurned && status === 'won')) qualifying.push(campaignId);
  }
  const dealId = idLike.safeParse(change.current.id);
  if (!dealId.success) return [];
  const sourceLead = z.string().min(1).safeParse(change.current.source_lead_id);
  const code = allKeysMappedTo(settings, 'deal', 'code')
    .map((key) => customValue(change.custom[key]))
    .find((v) => v !== null);
  const match: ParticipantMatch = {
    // A deal converted from a lead we pushed is found through that lead.
    record: sourceLead.success ? { object: 'lead', id: sourceLead.data } : { object: 'deal', id: dealId.data },
    ...(code ? { referral_code: code.slice(0, 64) } : {}),
  };
  const signals: Signal[] = [];
  const scoped = (ids: Array<string | null>) => (ids.includes(null) ? {} : { campaign_ids: ids.filter((id): id is string => id !== null) });
  const base = { occurred_at: change.occurredAt, match };
  if (qualifying.length > 0) {
    const reason = status === 'won' && statusTurned ? `deal ${dealId.data} won` : `deal ${dealId.data} entered stage ${String(stageId)}`;
    signals.push({ kind: 'qualify', event_id: `${change.eventId}:qualify`, reason, ...base, ...scoped(qualifying) });
  }
  if (unqualifying.length > 0) signals.push({ kind: 'unqualify', event_id: `${change.eventId}:unqualify`, reason: `deal ${dealId.data} lost`, ...base, ...scoped(unqualifying) });
  signals.push(...stageSignal(change, dealId.data, match));
  return signals;
}

function personSignals(settings: PipedriveSettings, change: Change): Signal[] {
  if (change.action !== 'create') return [];
  // v1 persons list their addresses under `email`, v2 under `emails`.
  const person = personSchema.safeParse({ ...change.current, emails: change.current.emails ?? change.current.email, custom_fields: change.custom });
  if (!person.success) return [];
  // Keyed by the person, not the delivery: the periodic catch-up reports the same creation under the same id.
  return [{ kind: 'contact_created', event_id: personCreatedEventId(person.data.id), occurred_at: change.occurredAt, contact: toContact(person.data, allKeysMappedTo(settings, 'person', 'code')) }];
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Constant-time check of `Authorization: Basic …` against the credentials we registered. */
function authorized(ctx: PipedriveContext, header: string | undefined): boolean {
  const user = ctx.webhookSecrets[AUTH_USER];
  const password = ctx.webhookSecrets[AUTH_PASSWORD];
  if (!user || !password || !header) return false;
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  return timingSafeEqual(digest(header.trim()), digest(expected));
}

export async function parseWebhook(ctx: PipedriveContext, delivery: InboundDelivery): Promise<WebhookVerdict> {
  if (!authorized(ctx, delivery.headers.authorization)) return { verified: false, reason: 'missing or wrong HTTP basic auth credentials', status: 401 };
  let json: unknown;
  try {
    json = JSON.parse(delivery.rawBody.toString('utf8'));
  } catch {
    return { verified: false, reason: 'the body is not JSON', status: 400 };
  }
  const change = toChange(json);
  if (!change) return { verified: false, reason: 'not a Pipedrive webhook payload (v1 or v2)', status: 400 };
  if (change.entity === 'deal') return { verified: true, signals: dealSignals(ctx.settings, change) };
  if (change.entity === 'person') return { verified: true, signals: personSignals(ctx.settings, change) };
  // Leads have no stage: a converted lead is followed on its deal (source_lead_id, or the code field leads share with deals).
  return { verified: true, signals: [] };
}
