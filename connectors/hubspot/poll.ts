import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/models/Filter';
import { z } from 'zod';
import type { PollResult, Signal } from '../contract';
import { openHubSpot, type HubSpot, type HubSpotContext } from './client';
import { RULE_PROPERTIES, signalsFor, watchedObjects } from './qualify';
import { ruleScopes, type HubSpotSettings } from './settings';
import { hubspotTime, stageSignals } from './stage-signals';
import { CONTACT_PROPERTIES, contactCreatedEventId, toContact } from './sync';

/**
 * The polling fallback: search contacts (and deals, when a rule watches deal stages) modified since
 * the cursor, and read each one's state against the rules. A poll reports states, not transitions,
 * so each signal's identity is the state itself (contact, property, value): however often a
 * contact is seen in the customer stage, it qualifies once. The cursor trails the clock by a
 * margin, since HubSpot's search index lags writes by a few seconds; what is seen twice dedupes.
 * Every contact (lifecycle stage) and deal (deal stage) found is also a `stage` signal, named by
 * the state at the record's last-modified time, so a record back in an earlier stage shows again.
 * Contacts are always searched; deals when a rule watches deal stages or pushes make deals.
 * A contact created since the cursor is also a `contact_created` signal (the same event id as the
 * `contact.creation` webhook's), which an ongoing contact sync imports; core ignores it otherwise.
 */
// https://developers.hubspot.com/docs/api/crm/search

const LAG_MS = 30_000;
const MAX_PAGES = 10;

const cursorSchema = z.object({ contacts: z.number(), deals: z.number() });
const hitSchema = z.object({ id: z.string(), properties: z.record(z.string(), z.string().nullable()).default({}) });
const searchSchema = z.object({ results: z.array(hitSchema), paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional() });
const associationsSchema = z.object({ results: z.array(z.object({ _from: z.object({ id: z.string() }), to: z.array(z.object({ toObjectId: z.union([z.string(), z.number()]).transform(String) })) })) });

export function pollIntervalMs(settings: HubSpotSettings): number | null {
  return settings.polling.enabled ? settings.polling.interval_seconds * 1000 : null;
}

type Hit = z.infer<typeof hitSchema>;

/** Every record of `objectType` modified at or after `since`, oldest first, at most MAX_PAGES pages. */
async function modifiedSince(hs: HubSpot, objectType: 'contacts' | 'deals', since: number, properties: string[]): Promise<Hit[]> {
  const stamp = objectType === 'contacts' ? 'lastmodifieddate' : 'hs_lastmodifieddate';
  const hits: Hit[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const request = {
      filterGroups: [{ filters: [{ propertyName: stamp, operator: FilterOperatorEnum.Gte, value: String(since) }] }],
      sorts: [stamp],
      properties: [...properties, stamp],
      limit: 100,
      ...(after ? { after } : {}),
    };
    // POST /crm/v3/objects/{contacts|deals}/search
    const answer = searchSchema.parse(await hs.call((c) => (objectType === 'contacts' ? c.crm.contacts.searchApi.doSearch(request) : c.crm.deals.searchApi.doSearch(request))));
    hits.push(...answer.results);
    after = answer.paging?.next?.after;
    if (!after) break;
  }
  return hits;
}

const stampOf = (hit: Hit, key: string) => {
  const raw = hit.properties[key];
  const ms = raw ? (/^\d+$/.test(raw) ? Number(raw) : Date.parse(raw)) : NaN;
  return Number.isFinite(ms) ? ms : null;
};

export async function pollChanges(ctx: HubSpotContext, input: { cursor: string | null }): Promise<PollResult> {
  const now = ctx.now().getTime();
  const parsed = input.cursor ? cursorSchema.safeParse(JSON.parse(input.cursor)) : null;
  // The first poll starts now: history is what a contact sync is for.
  if (!parsed?.success) return { signals: [], cursor: JSON.stringify({ contacts: now, deals: now }) };
  const cursor = parsed.data;
  const rules = watchedObjects(ctx.settings);
  const watched = { contacts: true, deals: rules.deals || ruleScopes(ctx.settings).some((s) => s.rules.deal !== null) };
  const hs = await openHubSpot(ctx);
  const signals: Signal[] = [];
  const next = { ...cursor };
  const advance = (from: number, hits: Hit[], key: string) => Math.max(from, Math.min(now - LAG_MS, ...hits.map((h) => stampOf(h, key) ?? from)));

  if (watched.contacts) {
    const hits = await modifiedSince(hs, 'contacts', cursor.contacts, [...CONTACT_PROPERTIES, 'createdate', RULE_PROPERTIES.lifecycle, RULE_PROPERTIES.leadStatus]);
    for (const hit of hits) {
      const created = stampOf(hit, 'createdate');
      if (created !== null && created >= cursor.contacts) {
        signals.push({ kind: 'contact_created', event_id: contactCreatedEventId(hit.id), occurred_at: new Date(created).toISOString(), contact: toContact(hit) });
      }
      for (const property of [RULE_PROPERTIES.lifecycle, RULE_PROPERTIES.leadStatus]) {
        const value = hit.properties[property];
        if (!value) continue;
        const change = { object: 'contact' as const, id: hit.id, property, value, email: hit.properties.email, referralCode: hit.properties.referral_code, eventId: `poll:contact:${hit.id}:${property}:${value}` };
        const modified = hubspotTime(hit.properties.lastmodifieddate);
        signals.push(...signalsFor(ctx.settings, change), ...stageSignals(change, { eventId: `${change.eventId}:${modified ?? '-'}`, occurredAt: modified }));
      }
    }
    if (hits.length > 0) next.contacts = advance(cursor.contacts, hits, 'lastmodifieddate');
  }
  if (watched.deals) {
    const hits = await modifiedSince(hs, 'deals', cursor.deals, [RULE_PROPERTIES.dealStage, 'pipeline']);
    const staged = hits.filter((h) => h.properties.dealstage);
    if (staged.length > 0) {
      // POST /crm/v4/associations/deals/contacts/batch/read (one call for the page: every deal's stage matches through its contacts)
      const links = associationsSchema.parse(await hs.call((c) => c.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: staged.map((h) => ({ id: h.id })) })));
      for (const hit of staged) {
        const contactIds = links.results.find((r) => r._from.id === hit.id)?.to.map((t) => t.toObjectId) ?? [];
        const stage = hit.properties.dealstage ?? '';
        const change = { object: 'deal' as const, id: hit.id, stage, pipeline: hit.properties.pipeline, contactIds, eventId: `poll:deal:${hit.id}:dealstage:${stage}` };
        const modified = hubspotTime(hit.properties.hs_lastmodifieddate);
        signals.push(...signalsFor(ctx.settings, change), ...stageSignals(change, { eventId: `${change.eventId}:${modified ?? '-'}`, occurredAt: modified }));
      }
    }
    if (hits.length > 0) next.deals = advance(cursor.deals, hits, 'hs_lastmodifieddate');
  }
  return { signals, cursor: JSON.stringify(next) };
}
