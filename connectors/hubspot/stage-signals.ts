import type { Signal } from '../contract';
import { matchOf, RULE_PROPERTIES, type Change } from './qualify';

/**
 * Where a HubSpot record stands now, for every way a change comes in (signed webhooks, workflow
 * webhooks, polling): a deal's stage (matched through the deal we pushed or its associated
 * contacts), and a contact's lifecycle stage. Names are filled in when the signal is applied
 * (resolve.ts); the rule signals (qualify.ts) come next to it, unchanged.
 */

/** A HubSpot timestamp property (epoch milliseconds, or ISO) as ISO; undefined when absent or unreadable. */
export function hubspotTime(raw: string | null | undefined): string | undefined {
  if (!raw) return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * The stage signal a change means (none for other properties, or an empty value). `identity`
 * replaces the change's own event id and time where they name a state rather than an event
 * (workflows, polls): with the record's last-modified time in it, a record that goes back to a
 * stage it had before is seen again.
 */
export function stageSignals(change: Change, identity?: { eventId: string; occurredAt?: string }): Signal[] {
  const eventId = `${identity?.eventId ?? change.eventId}:stage`;
  const occurredAt = identity?.occurredAt ?? change.occurredAt;
  const base = { event_id: eventId, match: matchOf(change), ...(occurredAt ? { occurred_at: occurredAt } : {}), ...(change.accountId ? { account_id: change.accountId } : {}) };
  if (change.object === 'deal') {
    if (!change.stage) return [];
    return [{ kind: 'stage', ...base, stage: { object: 'deal', record_id: change.id, pipeline_id: change.pipeline ?? null, stage_id: change.stage } }];
  }
  if (change.property !== RULE_PROPERTIES.lifecycle || !change.value) return [];
  return [{ kind: 'stage', ...base, stage: { object: 'contact', record_id: change.id, stage_id: change.value } }];
}
