import { z } from 'zod';
import type { Signal } from '../contract';
import type { SalesforceContext } from './auth';
import { openSalesforce } from './client';
import { soqlString } from './push';
import { ruleScopes, type CampaignRules, type SalesforceSettings } from './settings';

/**
 * What a change to a Lead or an Opportunity means for referrals, whichever way it was seen
 * (a Change Data Capture event, or a SOQL poll): a Lead whose Status reaches the qualifying value,
 * an Opportunity whose StageName reaches the qualifying (or unqualifying) stage. Signals name the
 * campaigns whose rule the change satisfies. An Opportunity is matched through the records that
 * stand for the participant: the lead converted into it (and its contact), looked up in
 * `resolveSignal` when the signal is applied, since the change itself names only the Opportunity.
 * Next to the rule signals, every Status or StageName seen is a `stage` signal (the picklist value
 * is the stage's name), so the participant shows where its Lead or Opportunity stands.
 */

export interface LeadChange {
  id: string;
  status: string | null;
  email?: string | null;
  referral_code?: string | null;
}

export interface OpportunityChange {
  id: string;
  stage: string | null;
  referral_code?: string | null;
}

export interface ChangeMeta {
  /** the vendor event id: replays carry the same one */
  eventId: string;
  occurredAt: string | undefined;
}

/** Campaigns whose rule `pick` equals `value`; undefined = every covered campaign, [] = none. */
function campaignsWhere(settings: SalesforceSettings, pick: (rules: CampaignRules) => string | null, value: string): string[] | undefined {
  const scopes = ruleScopes(settings);
  if (scopes.length === 1 && scopes[0].campaignId === null) return pick(scopes[0].rules) === value ? undefined : [];
  return scopes.filter((s) => s.campaignId !== null && pick(s.rules) === value).map((s) => s.campaignId ?? '');
}

const applies = (ids: string[] | undefined) => ids === undefined || ids.length > 0;

export function leadSignals(settings: SalesforceSettings, change: LeadChange, meta: ChangeMeta): Signal[] {
  if (!change.status) return [];
  const campaigns = campaignsWhere(settings, (r) => r.qualified_lead_status, change.status);
  if (!applies(campaigns)) return [];
  return [
    {
      kind: 'qualify',
      event_id: meta.eventId,
      occurred_at: meta.occurredAt,
      campaign_ids: campaigns,
      match: {
        record: { object: 'lead', id: change.id },
        ...(change.referral_code ? { referral_code: change.referral_code } : {}),
        ...(change.email ? { email: change.email } : {}),
      },
      reason: `Salesforce Lead ${change.id} reached status '${change.status}'`,
    },
  ];
}

export function opportunitySignals(settings: SalesforceSettings, change: OpportunityChange, meta: ChangeMeta): Signal[] {
  if (!change.stage) return [];
  const match = { records: [{ object: 'opportunity', id: change.id }], ...(change.referral_code ? { referral_code: change.referral_code } : {}) };
  const base = { event_id: meta.eventId, occurred_at: meta.occurredAt, match };
  const qualifying = campaignsWhere(settings, (r) => r.qualified_opportunity_stage, change.stage);
  const signals: Signal[] = [];
  if (applies(qualifying)) signals.push({ kind: 'qualify', ...base, campaign_ids: qualifying, reason: `Salesforce Opportunity ${change.id} reached stage '${change.stage}'` });
  const unqualifying = campaignsWhere(settings, (r) => r.unqualified_opportunity_stage, change.stage);
  if (applies(unqualifying)) signals.push({ kind: 'unqualify', ...base, campaign_ids: unqualifying, reason: `Salesforce Opportunity ${change.id} reached stage '${change.stage}'` });
  return signals;
}

/** Where the Lead stands: its Status. */
export function leadStageSignals(change: LeadChange, meta: ChangeMeta): Signal[] {
  if (!change.status) return [];
  const match = { record: { object: 'lead', id: change.id }, ...(change.referral_code ? { referral_code: change.referral_code } : {}), ...(change.email ? { email: change.email } : {}) };
  return [{ kind: 'stage', event_id: `${meta.eventId}:stage`, occurred_at: meta.occurredAt, match, stage: { object: 'lead', record_id: change.id, stage_id: change.status, stage: change.status } }];
}

/** Where the Opportunity stands: its StageName (matched through the lead converted into it, like the rule signals). */
export function opportunityStageSignals(change: OpportunityChange, meta: ChangeMeta): Signal[] {
  if (!change.stage) return [];
  const match = { records: [{ object: 'opportunity', id: change.id }], ...(change.referral_code ? { referral_code: change.referral_code } : {}) };
  return [{ kind: 'stage', event_id: `${meta.eventId}:stage`, occurred_at: meta.occurredAt, match, stage: { object: 'opportunity', record_id: change.id, stage_id: change.stage, stage: change.stage } }];
}

/** Which objects the settings need to watch. */
export function watchedObjects(settings: SalesforceSettings): { lead: boolean; opportunity: boolean } {
  const scopes = ruleScopes(settings);
  return {
    lead: scopes.some((s) => s.rules.qualified_lead_status !== null),
    opportunity: scopes.some((s) => s.rules.qualified_opportunity_stage !== null || s.rules.unqualified_opportunity_stage !== null),
  };
}

const convertedLeadSchema = z.object({ Id: z.string(), Email: z.string().nullable().optional(), ConvertedContactId: z.string().nullable().optional() });

/**
 * An Opportunity signal (rule or stage) completed with the lead converted into it (and that lead's contact and
 * email), so it matches the participant whose lead we pushed. Null when there is nothing to add.
 */
export async function resolveSignal(ctx: SalesforceContext, signal: Signal): Promise<Signal | null> {
  if (signal.kind !== 'qualify' && signal.kind !== 'unqualify' && signal.kind !== 'stage') return null;
  const records = signal.match.records ?? [];
  const opportunity = records.find((r) => r.object === 'opportunity');
  if (!opportunity || records.some((r) => r.object === 'lead')) return null;
  const sf = await openSalesforce(ctx);
  // Lead.ConvertedOpportunityId: https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_lead.htm
  const leads = await sf.query(`SELECT Id, Email, ConvertedContactId FROM Lead WHERE ConvertedOpportunityId = ${soqlString(opportunity.id)} LIMIT 10`, convertedLeadSchema);
  if (leads.records.length === 0) return null;
  const more = leads.records.flatMap((l) => [{ object: 'lead', id: l.Id }, ...(l.ConvertedContactId ? [{ object: 'contact', id: l.ConvertedContactId }] : [])]);
  const email = leads.records.find((l) => l.Email)?.Email ?? undefined;
  return { ...signal, match: { ...signal.match, records: [...records, ...more], ...(email && !signal.match.email ? { email } : {}) } };
}
