import { randomBytes } from 'node:crypto';
import { bodyHmacHeader, startFakeVendor, type FakeReply, type FakeRequest, type FakeVendor, type RouteHandler } from '../../../fakes/toolkit';

/**
 * "Tiny CRM": a made-up vendor, just big enough to exercise the integration framework — contacts
 * with a stage, search by email, cursor pages, batch updates, webhook registration and signed
 * deliveries. Built on the fake-vendor toolkit, like every vendor fake.
 */

export interface TinyContact {
  id: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  stage: string;
  referral_code: string | null;
  referral_link: string | null;
}

export interface TinyWebhook {
  id: string;
  url: string;
  secret: string;
}

export interface TinyEvent {
  id: string;
  type: 'contact.stage_changed' | 'contact.created' | 'payment.succeeded' | 'payment.refunded';
  occurred_at: string;
  contact: TinyContact;
  payment?: { id: string; amount: number; currency: string };
}

export interface TinyCrm {
  fake: FakeVendor;
  url: string;
  /** the API token the fake accepts; change it to revoke the old one */
  token: string;
  contacts: Map<string, TinyContact>;
  webhooks: Map<string, TinyWebhook>;
  /** add `n` contacts (`person0@tiny.test` …) */
  seedContacts(n: number): void;
  /** a delivery of `events` signed for the one registered webhook: body and headers to post */
  signedDelivery(events: TinyEvent[], secret?: string): { body: string; headers: Record<string, string> };
  /** an event about a contact */
  event(type: TinyEvent['type'], contact: TinyContact, extra?: Partial<TinyEvent>): TinyEvent;
  close(): Promise<void>;
}

const PAGE_MAX = 100;

export async function startTinyCrm(): Promise<TinyCrm> {
  const contacts = new Map<string, TinyContact>();
  const webhooks = new Map<string, TinyWebhook>();
  let nextId = 1000;
  let eventSeq = 0;
  const state = { token: `tiny_${randomBytes(12).toString('hex')}` };

  const authed =
    (handler: RouteHandler): RouteHandler =>
    (req: FakeRequest) =>
      req.headers.authorization === `Bearer ${state.token}` ? handler(req) : { status: 401, body: { message: 'invalid or revoked API token' } };
  const body = (req: FakeRequest): Record<string, unknown> => (typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {});
  const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
  const ordered = () => [...contacts.values()].sort((a, b) => Number(a.id) - Number(b.id));

  const routes: Record<string, RouteHandler> = {
    'GET /api/me': authed(() => ({ body: { account: { id: 'acct_tiny_1', name: 'Tiny Co' } } })),
    'GET /api/contacts': authed((req) => {
      const limit = Math.min(PAGE_MAX, Number(req.query.limit ?? 50));
      const after = req.query.cursor ? Number(req.query.cursor) : 0;
      const rows = ordered().filter((c) => Number(c.id) > after);
      const page = rows.slice(0, limit);
      return { body: { data: page, next_cursor: rows.length > limit ? page[page.length - 1].id : null, total: contacts.size } };
    }),
    'GET /api/contacts/search': authed((req) => ({ body: { data: ordered().filter((c) => c.email.toLowerCase() === String(req.query.email ?? '').toLowerCase()) } })),
    'POST /api/contacts': authed((req): FakeReply => {
      const b = body(req);
      const email = str(b.email);
      if (!email) return { status: 422, body: { message: 'email is required' } };
      if (ordered().some((c) => c.email.toLowerCase() === email.toLowerCase())) return { status: 409, body: { message: `a contact with email ${email} exists` } };
      const contact: TinyContact = { id: String(nextId++), email, first_name: str(b.first_name), last_name: str(b.last_name), stage: 'new', referral_code: str(b.referral_code), referral_link: str(b.referral_link) };
      contacts.set(contact.id, contact);
      return { status: 201, body: { data: contact } };
    }),
    'PATCH /api/contacts/:id': authed((req): FakeReply => {
      const contact = contacts.get(req.params.id);
      if (!contact) return { status: 404, body: { message: 'no such contact' } };
      const b = body(req);
      for (const key of ['first_name', 'last_name', 'referral_code', 'referral_link'] as const) if (key in b) contact[key] = str(b[key]) ?? contact[key];
      contact.stage = str(b.stage) ?? contact.stage;
      return { body: { data: contact } };
    }),
    'POST /api/contacts/batch': authed((req): FakeReply => {
      const updates = Array.isArray(body(req).updates) ? (body(req).updates as Array<Record<string, unknown>>) : [];
      if (updates.length > 25) return { status: 400, body: { message: 'at most 25 updates per batch' } };
      const errors: Array<{ id: string; message: string }> = [];
      for (const u of updates) {
        const contact = contacts.get(String(u.id));
        if (!contact) errors.push({ id: String(u.id), message: 'no such contact' });
        else {
          contact.referral_code = str(u.referral_code);
          contact.referral_link = str(u.referral_link);
        }
      }
      return { body: { updated: updates.length - errors.length, errors } };
    }),
    'GET /api/webhooks': authed(() => ({ body: { data: [...webhooks.values()].map(({ id, url }) => ({ id, url })) } })),
    'POST /api/webhooks': authed((req): FakeReply => {
      const url = str(body(req).url);
      if (!url) return { status: 422, body: { message: 'url is required' } };
      const hook: TinyWebhook = { id: `wh_${nextId++}`, url, secret: randomBytes(16).toString('hex') };
      webhooks.set(hook.id, hook);
      return { status: 201, body: { data: hook } };
    }),
    'DELETE /api/webhooks/:id': authed((req): FakeReply => (webhooks.delete(req.params.id) ? { status: 204 } : { status: 404, body: { message: 'no such webhook' } })),
  };
  const fake = await startFakeVendor({ routes, name: 'tiny-crm' });

  return {
    fake,
    url: fake.url,
    get token() {
      return state.token;
    },
    set token(value: string) {
      state.token = value;
    },
    contacts,
    webhooks,
    seedContacts(n) {
      for (let i = 0; i < n; i++) {
        const id = String(nextId++);
        contacts.set(id, { id, email: `person${i}@tiny.test`, first_name: `Person`, last_name: String(i), stage: 'new', referral_code: null, referral_link: null });
      }
    },
    signedDelivery(events, secret) {
      const key = secret ?? [...webhooks.values()][0]?.secret;
      if (!key) throw new Error('no webhook registered at the tiny CRM');
      const payload = JSON.stringify({ events });
      return { body: payload, headers: { 'content-type': 'application/json', ...bodyHmacHeader('x-tiny-signature', key, payload) } };
    },
    event(type, contact, extra = {}) {
      return { id: `ev_${++eventSeq}_${randomBytes(3).toString('hex')}`, type, occurred_at: new Date().toISOString(), contact: { ...contact }, ...extra };
    },
    close: () => fake.close(),
  };
}
