import type { ParticipantMatch, RecordRef, Signal } from '../contract';
import { reachesStage, ruleScopes, type HubSpotSettings, type Rule } from './settings';

/**
 * The one reading of the qualification rules, for every way a change comes in (signed webhooks,
 * workflow webhooks, polling): a contact property or a deal stage that changed → the qualify and
 * unqualify signals it means, each naming the campaigns whose rule it satisfies.
 */

/** A contact property that changed (or, from a workflow or a poll, holds this value now). */
export interface ContactChange {
  object: 'contact';
  id: string;
  property: string;
  value: string;
  eventId: string;
  occurredAt?: string;
  accountId?: string;
  email?: string | null;
  referralCode?: string | null;
}

/** A deal stage that changed; the associated contacts when known. */
export interface DealChange {
  object: 'deal';
  id: string;
  stage: string;
  pipeline?: string | null;
  eventId: string;
  occurredAt?: string;
  accountId?: string;
  contactIds?: string[];
}

export type Change = ContactChange | DealChange;

/** The contact and deal properties the rules read. */
export const RULE_PROPERTIES = { lifecycle: 'lifecyclestage', leadStatus: 'hs_lead_status', dealStage: 'dealstage' } as const;

function satisfies(rule: Rule | null, change: Change, mode: 'qualify' | 'unqualify', order: readonly string[] | undefined): boolean {
  if (!rule) return false;
  if (change.object === 'deal') return rule.when === 'deal_stage' && change.stage === rule.stage_id && (!change.pipeline || change.pipeline === rule.pipeline_id);
  if (rule.when === 'lifecycle_stage' && change.property === RULE_PROPERTIES.lifecycle) {
    // "Reaches" qualifies at that stage or a later one; unqualifying names one stage exactly.
    return mode === 'qualify' ? reachesStage(change.value, rule.stage, order) : change.value === rule.stage;
  }
  return rule.when === 'lead_status' && change.property === RULE_PROPERTIES.leadStatus && change.value === rule.value;
}

/** The rules' properties a poll must read. */
export function watchedObjects(settings: HubSpotSettings): { contacts: boolean; deals: boolean } {
  const rules = ruleScopes(settings).flatMap((s) => [s.rules.qualify, s.rules.unqualify]);
  return { contacts: rules.some((r) => r !== null && r.when !== 'deal_stage'), deals: rules.some((r) => r?.when === 'deal_stage') };
}

/** How core finds the participant a change is about: the record itself, a deal's associated contacts, a contact's email and code. */
export function matchOf(change: Change): ParticipantMatch {
  if (change.object === 'deal') {
    const contacts: RecordRef[] = (change.contactIds ?? []).map((id) => ({ object: 'contact', id }));
    // A deal we made on push is known by its own id; one made in HubSpot by its associated contacts.
    return { record: { object: 'deal', id: change.id }, ...(contacts.length > 0 ? { records: contacts } : {}) };
  }
  return {
    record: { object: 'contact', id: change.id },
    ...(change.email ? { email: change.email } : {}),
    ...(change.referralCode ? { referral_code: change.referralCode.slice(0, 64) } : {}),
  };
}

/** The signals a change means under the settings (none when no rule cares). */
export function signalsFor(settings: HubSpotSettings, change: Change): Signal[] {
  const qualifying: Array<string | null> = [];
  const unqualifying: Array<string | null> = [];
  for (const { campaignId, rules } of ruleScopes(settings)) {
    if (satisfies(rules.unqualify, change, 'unqualify', settings.lifecycle_order)) unqualifying.push(campaignId);
    else if (satisfies(rules.qualify, change, 'qualify', settings.lifecycle_order)) qualifying.push(campaignId);
  }
  const scoped = (ids: Array<string | null>) => (ids.includes(null) ? {} : { campaign_ids: ids.filter((id): id is string => id !== null) });
  const what = change.object === 'deal' ? `deal ${change.id} entered stage ${change.stage}` : `contact ${change.id} ${change.property} is ${change.value}`;
  const base = { match: matchOf(change), reason: what, ...(change.occurredAt ? { occurred_at: change.occurredAt } : {}), ...(change.accountId ? { account_id: change.accountId } : {}) };
  const signals: Signal[] = [];
  if (qualifying.length > 0) signals.push({ kind: 'qualify', event_id: `${change.eventId}:qualify`, ...base, ...scoped(qualifying) });
  if (unqualifying.length > 0) signals.push({ kind: 'unqualify', event_id: `${change.eventId}:unqualify`, ...base, ...scoped(unqualifying) });
  return signals;
}
