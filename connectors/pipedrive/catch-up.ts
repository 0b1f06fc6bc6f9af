import { z } from 'zod';
import type { PollResult, Signal } from '../contract';
import { openPipedrive, type PipedriveContext } from './client';
import { allKeysMappedTo, type PipedriveSettings } from './settings';
import { PERSON_PAGE_MAX, personSchema, toContact } from './sync';

/**
 * The periodic catch-up of an ongoing contact sync: persons added in Pipedrive since the last look
 * become `contact_created` signals, the same (same event id) as the `create person` webhook sends,
 * so a person seen both ways is imported once. Core keeps the cursor (the time of the last look)
 * and ignores the signals when no ongoing sync runs.
 */

/** At most this many pages per look; the rest waits for the next one (the cursor does not move past them). */
const MAX_PAGES = 20;

const pageSchema = z.object({
  data: z.array(personSchema.extend({ add_time: z.string().nullable().optional() })).nullable(),
  additional_data: z.object({ next_cursor: z.string().nullable().optional() }).nullable().optional(),
});

/** The event id of a person's creation, whichever way we hear of it. */
export const personCreatedEventId = (personId: string | number) => `person:${personId}:created`;

export function pollIntervalMs(settings: PipedriveSettings): number | null {
  return settings.catch_up_every_seconds === null ? null : settings.catch_up_every_seconds * 1000;
}

/** Pipedrive filters by whole seconds (RFC 3339). */
const toSecond = (d: Date) => new Date(Math.floor(d.getTime() / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');

export async function pollChanges(ctx: PipedriveContext, input: { cursor: string | null }): Promise<PollResult> {
  const lookedAt = toSecond(ctx.now());
  // The first look only marks where the next one starts.
  if (input.cursor === null) return { signals: [], cursor: lookedAt };
  const since = Date.parse(input.cursor);
  const pd = await openPipedrive(ctx);
  const codeKeys = allKeysMappedTo(ctx.settings, 'person', 'code');
  const signals: Signal[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    // https://developers.pipedrive.com/docs/api/v1/Persons#getPersons (updated_since: every person added since is among them)
    const answer = pageSchema.parse(await pd.v2.persons.getPersons({ updated_since: input.cursor, sort_by: 'id', sort_direction: 'asc', limit: PERSON_PAGE_MAX, ...(cursor ? { cursor } : {}) }));
    for (const person of answer.data ?? []) {
      const added = person.add_time ? Date.parse(person.add_time) : NaN;
      if (!(added >= since)) continue;
      signals.push({ kind: 'contact_created', event_id: personCreatedEventId(person.id), occurred_at: new Date(added).toISOString(), contact: toContact(person, codeKeys) });
    }
    const next = answer.additional_data?.next_cursor ?? null;
    if (next === null) return { signals, cursor: lookedAt };
    cursor = next;
  }
  // More than MAX_PAGES changed: look again from the same place (the signals are deduped by id).
  return { signals, cursor: input.cursor };
}
