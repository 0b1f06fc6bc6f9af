import { randomUUID } from 'node:crypto';
import type { FakeReply, FakeRequest, RouteTable } from '../toolkit';
import { api, bodyOf, fail, num, ok, str, type Budget } from './http';
import { dealV2, leadV1, nowIso, personV2, type FakeDeal, type FakeField, type FakeLead, type FakePerson, type PipedriveState } from './state';

/** Persons and deals (API v2) and leads (API v1), answering with Pipedrive's shapes and validations. */
/** A test's hook in front of the persons list (to fail or hold a given page). */
export type PersonsListHook = (req: FakeRequest) => Promise<FakeReply | void> | FakeReply | void;

export function recordRoutes(state: PipedriveState, budget: { current: Budget | null }, hooks: { personsList: PersonsListHook | null }): RouteTable {
  /** Custom field values must name custom fields of the object (Pipedrive refuses unknown keys). */
  const customFields = (raw: unknown, fields: FakeField[]): Record<string, string | null> | string => {
    if (raw === undefined) return {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'custom_fields must be an object';
    const out: Record<string, string | null> = {};
    for (const [key, value] of Object.entries(raw)) {
      if (!fields.some((f) => f.key === key && f.edit_flag)) return `Unknown custom field: ${key}`;
      out[key] = value === null ? null : String(value);
    }
    return out;
  };
  const encodeCursor = (id: number) => Buffer.from(JSON.stringify({ after: id })).toString('base64url');
  const decodeCursor = (cursor: string): number | null => {
    try {
      const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      return typeof parsed === 'object' && parsed !== null && 'after' in parsed && typeof parsed.after === 'number' ? parsed.after : null;
    } catch {
      return null;
    }
  };

  const updatePerson = (p: FakePerson, b: Record<string, unknown>): FakeReply | null => {
    if ('name' in b) {
      const name = str(b.name)?.trim();
      if (!name) return fail(400, 'Name must be given.');
      p.name = name;
    }
    const custom = customFields(b.custom_fields, state.personFields);
    if (typeof custom === 'string') return fail(400, custom);
    Object.assign(p.custom_fields, custom);
    if (Array.isArray(b.emails)) p.emails = b.emails.map((e: { value?: unknown; primary?: unknown; label?: unknown }, i) => ({ value: String(e.value ?? ''), primary: e.primary === true || i === 0, label: str(e.label) ?? 'work' }));
    p.update_time = nowIso();
    return null;
  };

  // Standard lead fields; every other top-level key of a lead body is a (deal) custom field.
  const leadStandard = new Set(['owner_id', 'label_ids', 'organization_id', 'value', 'expected_close_date', 'visible_to', 'was_seen', 'is_archived', 'channel', 'channel_id', 'origin_id']);
  const leadCustom = (rest: Record<string, unknown>) => Object.fromEntries(Object.entries(rest).filter(([k]) => !leadStandard.has(k)));

  const stageOf = (pipelineId: number, stageId: number | null) => state.stages.find((s) => s.pipeline_id === pipelineId && (stageId === null || s.id === stageId));

  return {
    // https://developers.pipedrive.com/docs/api/v1/Persons#searchPersons
    'GET /api/v2/persons/search': api(state, budget, (req) => {
      const term = (req.query.term ?? '').trim().toLowerCase();
      if (term.length < 2) return fail(400, 'Search term must be at least 2 characters long');
      const exact = req.query.exact_match === 'true';
      const fields = (req.query.fields ?? 'custom_fields,email,notes,phone,name').split(',');
      const hits = [...state.persons.values()].filter((p) => {
        const emails = p.emails.map((e) => e.value.toLowerCase());
        const byEmail = fields.includes('email') && (exact ? emails.includes(term) : emails.some((e) => e.includes(term)));
        const byName = fields.includes('name') && (exact ? p.name.toLowerCase() === term : p.name.toLowerCase().includes(term));
        return byEmail || byName;
      });
      return ok(
        { items: hits.map((p) => ({ result_score: 1, item: { id: p.id, type: 'person', name: p.name, phones: [], emails: p.emails.map((e) => e.value), visible_to: 3, owner: { id: 111 }, organization: null, custom_fields: [], notes: [] } })) },
        { next_cursor: null },
      );
    }),
    // https://developers.pipedrive.com/docs/api/v1/Persons#getPersons
    'GET /api/v2/persons': api(state, budget, async (req) => {
      const early = await hooks.personsList?.(req);
      if (early) return early;
      const limit = Math.min(500, num(req.query.limit) ?? 100);
      const after = req.query.cursor ? decodeCursor(req.query.cursor) : 0;
      if (after === null) return fail(400, 'Invalid cursor');
      const filterId = num(req.query.filter_id);
      const keep = filterId === null ? () => true : state.filters.get(filterId);
      if (!keep) return fail(404, 'Filter not found');
      const since = req.query.updated_since ? Date.parse(req.query.updated_since) : null;
      const rows = [...state.persons.values()].filter((p) => p.id > after && keep(p) && (since === null || Date.parse(p.update_time) >= since)).sort((a, b) => a.id - b.id);
      const page = rows.slice(0, limit);
      return ok(page.map(personV2), { next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null });
    }),
    'GET /api/v2/persons/:id': api(state, budget, (req) => {
      const p = state.persons.get(Number(req.params.id));
      return p ? ok(personV2(p)) : fail(404, 'Person not found');
    }),
    // https://developers.pipedrive.com/docs/api/v1/Persons#addPerson
    'POST /api/v2/persons': api(state, budget, (req) => {
      const b = bodyOf(req);
      if (!str(b.name)?.trim()) return fail(400, 'Name must be given.');
      const p: FakePerson = { id: state.nextId++, name: '', first_name: null, last_name: null, emails: [], custom_fields: {}, add_time: nowIso(), update_time: nowIso() };
      const refused = updatePerson(p, b);
      if (refused) return refused;
      state.persons.set(p.id, p);
      return ok(personV2(p));
    }),
    // https://developers.pipedrive.com/docs/api/v1/Persons#updatePerson
    'PATCH /api/v2/persons/:id': api(state, budget, (req) => {
      const p = state.persons.get(Number(req.params.id));
      if (!p) return fail(404, 'Person not found');
      return updatePerson(p, bodyOf(req)) ?? ok(personV2(p));
    }),
    // https://developers.pipedrive.com/docs/api/v1/Deals#getDeals
    'GET /api/v2/deals': api(state, budget, (req) => {
      const personId = num(req.query.person_id);
      const pipelineId = num(req.query.pipeline_id);
      const rows = [...state.deals.values()].filter((d) => (personId === null || d.person_id === personId) && (pipelineId === null || d.pipeline_id === pipelineId));
      return ok(rows.map(dealV2), { next_cursor: null });
    }),
    'GET /api/v2/deals/:id': api(state, budget, (req) => {
      const d = state.deals.get(Number(req.params.id));
      if (!d) return fail(404, 'Deal not found');
      // source_lead_id is only included when asked for.
      const asked = (req.query.include_fields ?? '').split(',').includes('source_lead_id');
      return ok({ ...dealV2(d), ...(asked ? { source_lead_id: d.source_lead_id } : {}) });
    }),
    // https://developers.pipedrive.com/docs/api/v1/Deals#addDeal
    'POST /api/v2/deals': api(state, budget, (req) => {
      const b = bodyOf(req);
      const title = str(b.title)?.trim();
      if (!title) return fail(400, 'Title must be given.');
      const pipelineId = num(b.pipeline_id) ?? 1;
      const stage = stageOf(pipelineId, num(b.stage_id));
      if (!stage) return fail(400, 'Stage does not belong to the pipeline');
      const personId = num(b.person_id);
      if (personId !== null && !state.persons.has(personId)) return fail(400, 'Person not found');
      const custom = customFields(b.custom_fields, state.dealFields);
      if (typeof custom === 'string') return fail(400, custom);
      const d: FakeDeal = { id: state.nextId++, title, person_id: personId, pipeline_id: pipelineId, stage_id: stage.id, status: 'open', custom_fields: custom, source_lead_id: null, add_time: nowIso(), update_time: nowIso() };
      state.deals.set(d.id, d);
      return ok(dealV2(d));
    }),
    // https://developers.pipedrive.com/docs/api/v1/Deals#updateDeal
    'PATCH /api/v2/deals/:id': api(state, budget, (req) => {
      const d = state.deals.get(Number(req.params.id));
      if (!d) return fail(404, 'Deal not found');
      const b = bodyOf(req);
      const custom = customFields(b.custom_fields, state.dealFields);
      if (typeof custom === 'string') return fail(400, custom);
      Object.assign(d.custom_fields, custom);
      if (str(b.title)) d.title = String(b.title);
      d.update_time = nowIso();
      return ok(dealV2(d));
    }),
    // https://developers.pipedrive.com/docs/api/v1/Leads#getLeads
    'GET /api/v1/leads': api(state, budget, (req) => {
      const personId = num(req.query.person_id);
      const rows = [...state.leads.values()].filter((l) => !l.is_archived && (personId === null || l.person_id === personId));
      return ok(rows.map(leadV1), { pagination: { start: 0, limit: 100, more_items_in_collection: false } });
    }),
    // https://developers.pipedrive.com/docs/api/v1/Leads#addLead (custom fields: the deal fields, at the top level)
    'POST /api/v1/leads': api(state, budget, (req) => {
      const { title, person_id, ...rest } = bodyOf(req);
      const t = str(title)?.trim();
      if (!t) return fail(400, 'Title must be given.');
      const personId = num(person_id);
      if (personId === null) return fail(400, 'A lead must be linked to a person or an organization');
      if (!state.persons.has(personId)) return fail(400, 'Person not found');
      const custom = customFields(leadCustom(rest), state.dealFields);
      if (typeof custom === 'string') return fail(400, custom);
      const lead: FakeLead = { id: randomUUID(), title: t, person_id: personId, custom_fields: custom, is_archived: false, add_time: nowIso(), update_time: nowIso() };
      state.leads.set(lead.id, lead);
      return ok(leadV1(lead), undefined, 201);
    }),
    // https://developers.pipedrive.com/docs/api/v1/Leads#updateLead
    'PATCH /api/v1/leads/:id': api(state, budget, (req) => {
      const lead = state.leads.get(req.params.id);
      if (!lead) return fail(404, 'Lead not found');
      const { title, person_id: _person, ...rest } = bodyOf(req);
      const custom = customFields(leadCustom(rest), state.dealFields);
      if (typeof custom === 'string') return fail(400, custom);
      Object.assign(lead.custom_fields, custom);
      if (str(title)) lead.title = String(title);
      lead.update_time = nowIso();
      return ok(leadV1(lead));
    }),
  };
}
