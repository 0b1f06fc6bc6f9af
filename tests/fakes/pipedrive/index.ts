import { randomBytes } from 'node:crypto';
import { startFakeVendor, type FakeVendor } from '../toolkit';
import { hooksFor, post, v1DealUpdate, v2Data, v2Payload, type Delivery, type V2Options } from './deliver';
import type { Budget } from './http';
import { accountRoutes } from './routes-account';
import { recordRoutes, type PersonsListHook } from './routes-records';
import { fieldKey, initialState, nowIso, type FakeDeal, type FakePerson, type PipedriveState } from './state';

export type { Delivery } from './deliver';
export { v1DealUpdate, v2Payload, v2Data, hooksFor, post } from './deliver';
export type { FakeDeal, FakeLead, FakePerson, FakeWebhook, PipedriveState } from './state';

/**
 * A fake Pipedrive company on 127.0.0.1 for the official SDK: API v1 and v2 routes with
 * Pipedrive's shapes, status codes and rate-limit headers, an OAuth token endpoint, webhooks
 * registered through the API — and the actions a salesperson takes in the Pipedrive app (move a
 * deal, win or lose it, convert a lead, add a person), each delivering the webhooks Pipedrive
 * would send to the registered URLs.
 */
export interface FakePipedrive {
  fake: FakeVendor;
  /** base URL: the `api_base_url` to connect with (and the OAuth host) */
  url: string;
  state: PipedriveState;
  apiToken: string;
  oauth: { clientId: string; clientSecret: string; redirectUri: string; code: string; refreshTokens: Set<string>; apiDomain: () => string };
  /** Pipedrive's rate limit: `limit` calls per `windowMs` (null: unlimited) */
  rateLimit(limit: number | null, windowMs?: number): void;
  /** 429s served since the limit was set */
  refused(): number;
  /** run `hook` before each persons list answer; what it returns is served instead (null removes it) */
  interceptPersonsList(hook: PersonsListHook | null): void;
  addField(object: 'person' | 'deal', name: string, fieldType?: string): string;
  addPerson(input: { name: string; email: string; custom_fields?: Record<string, string> }, opts?: { deliver?: boolean }): Promise<{ person: FakePerson; deliveries: Delivery[] }>;
  /** `n` persons without webhooks (a company that existed before the integration) */
  seedPersons(n: number): void;
  moveDeal(id: number, stageId: number, opts?: V2Options): Promise<Delivery[]>;
  setDealStatus(id: number, status: 'open' | 'won' | 'lost', opts?: V2Options): Promise<Delivery[]>;
  /** A lead becomes a deal in a pipeline stage (its fields carried over); the lead is gone. */
  convertLead(leadId: string, pipelineId: number, stageId: number): FakeDeal;
  /** A deal made by hand in Pipedrive (not by us). */
  addDeal(input: { title: string; person_id: number | null; pipeline_id: number; stage_id: number; custom_fields?: Record<string, string> }): FakeDeal;
  /** Send a payload to every webhook for the event, or replay a delivery's exact body. */
  deliver(action: string, object: string, payload: unknown, auth?: Record<string, string>): Promise<Delivery[]>;
  close(): Promise<void>;
}

export async function startFakePipedrive(): Promise<FakePipedrive> {
  const state = initialState();
  const budget: { current: Budget | null } = { current: null };
  let url = '';
  const oauth = {
    clientId: `client-${randomBytes(4).toString('hex')}`,
    clientSecret: randomBytes(16).toString('hex'),
    redirectUri: 'https://hub.example/oauth/pipedrive/callback',
    code: `code-${randomBytes(8).toString('hex')}`,
    refreshTokens: new Set<string>(),
    apiDomain: () => url,
  };
  const hooks: { personsList: PersonsListHook | null } = { personsList: null };
  const fake = await startFakeVendor({ name: 'pipedrive', routes: { ...accountRoutes(state, budget, oauth), ...recordRoutes(state, budget, hooks) } });
  url = fake.url;

  const deliverChange = async (entity: 'deal', record: FakeDeal, previous: Record<string, unknown>, opts: V2Options = {}) => {
    const out: Delivery[] = [];
    for (const hook of hooksFor(state, 'change', entity, '2.0')) out.push(await post(hook, v2Payload(state, hook, entity, 'change', v2Data(entity, record), previous, opts)));
    // Hand-made v1 webhooks get the v1 shape.
    for (const hook of hooksFor(state, 'updated', entity, '1.0')) out.push(await post(hook, v1DealUpdate(state, hook, { ...record, ...previous }, record)));
    return out;
  };
  const dealOf = (id: number) => {
    const deal = state.deals.get(id);
    if (!deal) throw new Error(`no deal ${id} in the fake Pipedrive`);
    return deal;
  };

  return {
    fake,
    url,
    state,
    apiToken: state.apiToken,
    oauth,
    rateLimit(limit, windowMs = 2_000) {
      budget.current = limit === null ? null : { limit, windowMs, windowStart: Date.now(), used: 0, refused: 0 };
    },
    refused: () => budget.current?.refused ?? 0,
    interceptPersonsList(hook) {
      hooks.personsList = hook;
    },
    addField(object, name, fieldType = 'varchar') {
      const key = fieldKey();
      const list = object === 'person' ? state.personFields : state.dealFields;
      list.push({ id: state.nextId++, key, name, field_type: fieldType, edit_flag: true });
      return key;
    },
    async addPerson(input, opts = {}) {
      const at = nowIso();
      const person: FakePerson = { id: state.nextId++, name: input.name, first_name: input.name.split(' ')[0] ?? null, last_name: input.name.split(' ').slice(1).join(' ') || null, emails: [{ value: input.email, primary: true, label: 'work' }], custom_fields: { ...(input.custom_fields ?? {}) }, add_time: at, update_time: at };
      state.persons.set(person.id, person);
      const deliveries: Delivery[] = [];
      if (opts.deliver !== false) for (const hook of hooksFor(state, 'create', 'person', '2.0')) deliveries.push(await post(hook, v2Payload(state, hook, 'person', 'create', v2Data('person', person), null)));
      return { person, deliveries };
    },
    seedPersons(n) {
      const at = nowIso();
      for (let i = 0; i < n; i++) {
        const id = state.nextId++;
        state.persons.set(id, { id, name: `Customer ${i}`, first_name: 'Customer', last_name: String(i), emails: [{ value: `customer${i}@shop.example`, primary: true, label: 'work' }], custom_fields: {}, add_time: at, update_time: at });
      }
    },
    async moveDeal(id, stageId, opts) {
      const deal = dealOf(id);
      const previous = { stage_id: deal.stage_id, update_time: deal.update_time };
      deal.stage_id = stageId;
      deal.update_time = nowIso();
      return deliverChange('deal', deal, previous, opts);
    },
    async setDealStatus(id, status, opts) {
      const deal = dealOf(id);
      const previous = { status: deal.status, update_time: deal.update_time };
      deal.status = status;
      deal.update_time = nowIso();
      return deliverChange('deal', deal, previous, opts);
    },
    convertLead(leadId, pipelineId, stageId) {
      const lead = state.leads.get(leadId);
      if (!lead) throw new Error(`no lead ${leadId} in the fake Pipedrive`);
      state.leads.delete(leadId);
      const deal: FakeDeal = { id: state.nextId++, title: lead.title, person_id: lead.person_id, pipeline_id: pipelineId, stage_id: stageId, status: 'open', custom_fields: { ...lead.custom_fields }, source_lead_id: lead.id, add_time: nowIso(), update_time: nowIso() };
      state.deals.set(deal.id, deal);
      return deal;
    },
    addDeal(input) {
      const deal: FakeDeal = { id: state.nextId++, title: input.title, person_id: input.person_id, pipeline_id: input.pipeline_id, stage_id: input.stage_id, status: 'open', custom_fields: { ...(input.custom_fields ?? {}) }, source_lead_id: null, add_time: nowIso(), update_time: nowIso() };
      state.deals.set(deal.id, deal);
      return deal;
    },
    async deliver(action, object, payload, auth) {
      const out: Delivery[] = [];
      for (const hook of hooksFor(state, action, object)) out.push(await post(hook, payload, auth));
      return out;
    },
    close: () => fake.close(),
  };
}
