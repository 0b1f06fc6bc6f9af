import { timingSafeEqual } from 'node:crypto';
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import {
  connectorSettingsSchema,
  defineConnector,
  vendorMessage,
  VendorError,
  type ConnectorContext,
  type Signal,
  type VendorContact,
  type Vendor,
} from '../../../../connectors';

/**
 * A tiny connector for the Tiny CRM fake (support/tiny-crm.ts), registered in tests through the
 * registry's test hook under a real vendor name. It does what a real connector does, in the same
 * shape, with plain fetch instead of an SDK: every failure becomes a VendorError for the shared
 * retry decision.
 */

const credentialsSchema = z.object({ api_token: z.string().min(10, 'must be a Tiny CRM API token') });
const settingsSchema = connectorSettingsSchema(
  { qualify_stage: z.string().min(1).default('won'), unqualify_stage: z.string().min(1).optional() },
  {
    qualify_stage: z.string().min(1).optional(),
    min_total_spend: z.number().int().min(1).optional(),
    within_days: z.number().int().min(1).default(30),
    unqualify_on_refund: z.boolean().default(true),
  },
);
type Credentials = z.infer<typeof credentialsSchema>;
type Settings = z.infer<typeof settingsSchema>;
type Ctx = ConnectorContext<Credentials, Settings>;

const contactSchema = z.object({
  id: z.string(),
  email: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  stage: z.string(),
  referral_code: z.string().nullable(),
});
const eventSchema = z.object({
  id: z.string(),
  type: z.enum(['contact.stage_changed', 'contact.created', 'payment.succeeded', 'payment.refunded']),
  occurred_at: z.string(),
  contact: contactSchema,
  payment: z.object({ id: z.string(), amount: z.number().int(), currency: z.string() }).optional(),
});

/** How long one Tiny CRM call may take (tests shorten it to provoke timeouts). */
export const tinyTiming = { timeoutMs: 2_000 };

export function tinyConnector(vendor: Vendor = 'pipedrive') {
  async function call(ctx: Ctx, method: string, path: string, body?: unknown): Promise<unknown> {
    const signal = ctx.signal ? AbortSignal.any([ctx.signal, AbortSignal.timeout(tinyTiming.timeoutMs)]) : AbortSignal.timeout(tinyTiming.timeoutMs);
    const res = await fetch(`${ctx.apiBaseUrl ?? 'https://api.tiny-crm.invalid'}${path}`, {
      method,
      headers: { authorization: `Bearer ${ctx.credentials.api_token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await res.text();
    if (!res.ok) throw new VendorError(vendor, { status: res.status, headers: res.headers, message: vendorMessage(text) });
    return text ? JSON.parse(text) : null;
  }

  const toContact = (c: z.infer<typeof contactSchema>): VendorContact => ({ id: c.id, object: 'contact', email: c.email, first_name: c.first_name, last_name: c.last_name, referral_code: c.referral_code });

  /** Campaigns whose qualify stage (their own, else the integration's) is `stage`; undefined = any. */
  function campaignsQualifiedBy(settings: Settings, stage: string): string[] | undefined {
    const ids = Object.keys(settings.campaigns);
    if (ids.length === 0) return stage === settings.qualify_stage ? undefined : [];
    return ids.filter((id) => (settings.campaigns[id].qualify_stage ?? settings.qualify_stage) === stage);
  }

  return defineConnector<Credentials, Settings>({
    vendor,
    displayName: 'Tiny CRM',
    credentialsSchema,
    settingsSchema,
    syncFilterSchema: z.object({ stage: z.string().optional() }).strict(),
    linkBatchSize: 25,
    contactPageSize: 50,

    async verifyCredentials(ctx) {
      // tiny CRM: GET /api/me (tests/core/integrations/support/tiny-crm.ts)
      const me = z.object({ account: z.object({ id: z.string(), name: z.string() }) }).parse(await call(ctx, 'GET', '/api/me'));
      return me.account;
    },

    async registerWebhooks(ctx, { url, existing }) {
      // tiny CRM: GET /api/webhooks
      const listed = z.object({ data: z.array(z.object({ id: z.string(), url: z.string() })) }).parse(await call(ctx, 'GET', '/api/webhooks'));
      const mine = listed.data.find((w) => w.url === url && (ctx.webhookSecrets[w.id] !== undefined || existing.some((e) => e.id === w.id)));
      if (mine && ctx.webhookSecrets[mine.id]) return { webhooks: [{ id: mine.id, event: '*', url }] };
      // tiny CRM: POST /api/webhooks (the secret is only shown on creation)
      const created = z.object({ data: z.object({ id: z.string(), url: z.string(), secret: z.string() }) }).parse(await call(ctx, 'POST', '/api/webhooks', { url }));
      return { webhooks: [{ id: created.data.id, event: '*', url }], secrets: { [created.data.id]: created.data.secret } };
    },

    async unregisterWebhooks(ctx, webhooks) {
      for (const hook of webhooks) {
        try {
          // tiny CRM: DELETE /api/webhooks/{id}
          await call(ctx, 'DELETE', `/api/webhooks/${encodeURIComponent(hook.id)}`);
        } catch (err) {
          if (!(err instanceof VendorError && err.outcome.status === 404)) throw err;
        }
      }
    },

    async pushParticipant(ctx, input) {
      const fields = { first_name: input.first_name, last_name: input.last_name, referral_code: input.code, referral_link: input.referral_link };
      const known = input.existing?.contact;
      if (known) {
        try {
          // tiny CRM: PATCH /api/contacts/{id}
          await call(ctx, 'PATCH', `/api/contacts/${encodeURIComponent(known)}`, fields);
          return { ids: { contact: known }, created: false };
        } catch (err) {
          if (!(err instanceof VendorError && err.outcome.status === 404)) throw err;
        }
      }
      // tiny CRM: GET /api/contacts/search?email= (dedupe by email: a retried push finds what it made)
      const found = z.object({ data: z.array(contactSchema) }).parse(await call(ctx, 'GET', `/api/contacts/search?email=${encodeURIComponent(input.email)}`));
      if (found.data[0]) {
        await call(ctx, 'PATCH', `/api/contacts/${encodeURIComponent(found.data[0].id)}`, fields);
        return { ids: { contact: found.data[0].id }, created: false };
      }
      // tiny CRM: POST /api/contacts
      const created = z.object({ data: contactSchema }).parse(await call(ctx, 'POST', '/api/contacts', { email: input.email, ...fields }));
      return { ids: { contact: created.data.id }, created: true };
    },

    async listContacts(ctx, { cursor, filter, pageSize }) {
      const qs = new URLSearchParams({ limit: String(pageSize), ...(cursor ? { cursor } : {}) });
      // tiny CRM: GET /api/contacts?limit=&cursor=
      const page = z.object({ data: z.array(contactSchema), next_cursor: z.string().nullable(), total: z.number() }).parse(await call(ctx, 'GET', `/api/contacts?${qs}`));
      const stage = typeof filter?.stage === 'string' ? filter.stage : null;
      return { contacts: page.data.filter((c) => !stage || c.stage === stage).map(toContact), next_cursor: page.next_cursor, total: stage ? null : page.total };
    },

    async writeReferralLinks(ctx, writes) {
      // tiny CRM: POST /api/contacts/batch (at most 25)
      const result = z
        .object({ errors: z.array(z.object({ id: z.string(), message: z.string() })) })
        .parse(await call(ctx, 'POST', '/api/contacts/batch', { updates: writes.map((w) => ({ id: w.contact_id, referral_code: w.code, referral_link: w.referral_link })) }));
      return { failed: result.errors.map((e) => ({ contact_id: e.id, message: e.message })) };
    },

    async parseWebhook(ctx, delivery) {
      const given = Buffer.from(delivery.headers['x-tiny-signature'] ?? '', 'utf8');
      const valid = Object.values(ctx.webhookSecrets).some((secret) => {
        const expected = Buffer.from(createHmac('sha256', secret).update(delivery.rawBody).digest('hex'), 'utf8');
        return expected.length === given.length && timingSafeEqual(expected, given);
      });
      if (!valid) return { verified: false, reason: 'x-tiny-signature does not match' };
      let json: unknown;
      try {
        json = JSON.parse(delivery.rawBody.toString('utf8'));
      } catch {
        return { verified: false, reason: 'body is not JSON', status: 400 };
      }
      const parsed = z.object({ events: z.array(eventSchema) }).safeParse(json);
      if (!parsed.success) return { verified: false, reason: 'unexpected payload', status: 400 };
      const signals: Signal[] = [];
      for (const e of parsed.data.events) {
        const match = { record: { object: 'contact', id: e.contact.id }, email: e.contact.email, ...(e.contact.referral_code ? { referral_code: e.contact.referral_code } : {}) };
        const base = { event_id: e.id, occurred_at: e.occurred_at };
        if (e.type === 'contact.created') signals.push({ kind: 'contact_created', ...base, contact: toContact(e.contact) });
        else if (e.type === 'contact.stage_changed' && e.contact.stage === ctx.settings.unqualify_stage) signals.push({ kind: 'unqualify', ...base, match, reason: `stage ${e.contact.stage}` });
        else if (e.type === 'contact.stage_changed') {
          const campaign_ids = campaignsQualifiedBy(ctx.settings, e.contact.stage);
          if (campaign_ids === undefined || campaign_ids.length > 0) signals.push({ kind: 'qualify', ...base, match, reason: `stage ${e.contact.stage}`, ...(campaign_ids ? { campaign_ids } : {}) });
        } else if (e.payment) {
          signals.push({ kind: 'spend', ...base, match, payment_id: e.payment.id, amount: e.payment.amount, currency: e.payment.currency, refund: e.type === 'payment.refunded' });
        }
      }
      return { verified: true, signals };
    },

    spendRule(settings, campaignId) {
      const c = settings.campaigns[campaignId];
      return c?.min_total_spend ? { min_total_spend: c.min_total_spend, currency: null, within_days: c.within_days, unqualify_on_refund: c.unqualify_on_refund } : null;
    },
  });
}
