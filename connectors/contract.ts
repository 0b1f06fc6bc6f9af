import { z } from 'zod';

/**
 * The connector contract: the one shape every vendor adapter (Pipedrive, HubSpot, Salesforce,
 * Stripe) implements. Connectors never see our database or HTTP server: core hands them
 * credentials, settings and neutral inputs, and they return neutral outputs (vendor ids, pages of
 * contacts, verified signals). Everything crossing this line is parsed with zod on the core side.
 */

export const vendors = ['pipedrive', 'hubspot', 'salesforce', 'stripe'] as const;
export type Vendor = (typeof vendors)[number];
export const vendorSchema = z.enum(vendors);


export * from './records';
export * from './signals';
export * from './options';
import { contactPageSchema, participantTypes, pushResultSchema, type ParticipantType, type PushInput, type PushResult, type ContactPage, type LinkWrite, type LinkWriteResult, type VendorContact, type VendorIds } from './records';
import type { AccountOptions } from './options';
import { signalSchema, type Signal, type InboundDelivery, type WebhookVerdict, type RegisterResult, type VendorAccount, type WebhookRegistration } from './signals';

/** Settings every connector shares, per campaign: which participant types are pushed. */
export const campaignBaseSettingsSchema = z.object({
  push_types: z.array(z.enum(participantTypes)).optional().meta({ description: 'Overrides the integration-wide push_types for this campaign' }),
});

/**
 * Build a connector's settings schema: vendor fields at the top, vendor rules per campaign under
 * `campaigns.<campaign_id>` ("which stage qualifies which campaign"), and the shared `push_types`.
 * When `campaigns` lists any campaign, the integration only acts on those campaigns.
 */
export function connectorSettingsSchema<T extends z.ZodRawShape, C extends z.ZodRawShape>(shape: T, perCampaign: C) {
  return z.object({
    ...shape,
    push_types: z.array(z.enum(participantTypes)).default(['referred']),
    campaigns: z.record(z.string().min(1), campaignBaseSettingsSchema.extend(perCampaign)).default({}),
  });
}

/** What core needs to read from any connector's parsed settings. */
export interface BaseSettings {
  push_types: ParticipantType[];
  campaigns: Record<string, { push_types?: ParticipantType[] }>;
}

/** Whether a campaign is in scope of the integration (no campaigns listed = all of them). */
export function coversCampaign(settings: BaseSettings, campaignId: string): boolean {
  return Object.keys(settings.campaigns).length === 0 || campaignId in settings.campaigns;
}

/** The participant types pushed for a campaign. */
export function pushTypesFor(settings: BaseSettings, campaignId: string): ParticipantType[] {
  return settings.campaigns[campaignId]?.push_types ?? settings.push_types;
}

/** One participant's outcome in a batched push, in input order. */
export const batchPushOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: pushResultSchema }),
  /** this participant alone failed (the vendor refused its record); `status` feeds the shared retry decision */
  z.object({ ok: z.literal(false), status: z.number().int().optional(), message: z.string().max(1000) }),
]);
export type BatchPushOutcome = z.infer<typeof batchPushOutcomeSchema>;

/** What one run of the polling fallback found. */
export const pollResultSchema = z.object({
  signals: z.array(signalSchema),
  /** where the next poll starts; stored only after the signals are */
  cursor: z.string().min(1).max(2000),
});
export type PollResult = z.infer<typeof pollResultSchema>;

/** A reward to issue through the vendor (Stripe balance credit, coupon). */
export interface RewardToIssue {
  reward_id: string;
  kind: string;
  amount: number | null;
  currency: string | null;
  percent_off: number | null;
  description: string | null;
  recipient: { participant_id: string; email: string; name: string | null; vendor_ids: VendorIds | null };
}

export const issuedRewardSchema = z.object({ external_id: z.string().min(1), reward_code: z.string().nullable().optional() });
export type IssuedReward = z.infer<typeof issuedRewardSchema>;

/** The spend rule of a campaign: qualify when the referred customer's spend reaches a threshold. */
export interface SpendRule {
  min_total_spend: number;
  currency: string | null;
  within_days: number;
  unqualify_on_refund: boolean;
  /** false when only spend on the vendor record we stored counts, not a record that merely shares the email (default true) */
  match_by_email?: boolean;
}

/** What a connector is given for every call. */
export interface ConnectorContext<C, S> {
  credentials: C;
  settings: S;
  /** points the official SDK at another host (sandbox, tests) */
  apiBaseUrl: string | null;
  /** secrets an earlier `registerWebhooks` returned */
  webhookSecrets: Record<string, string>;
  /** store refreshed credentials (OAuth access tokens), encrypted like the originals */
  saveCredentials(next: C): Promise<void>;
  now(): Date;
  /** aborted when the job running this call times out or the integration is disconnected */
  signal?: AbortSignal;
}

/**
 * One connector. `C` and `S` are what its credentials and settings schemas produce. Every vendor
 * call inside reports failures as `VendorError` (see retry.ts), so core decides retries, reconnects
 * and failures in one place.
 */
export interface Connector<C = unknown, S extends BaseSettings = BaseSettings> {
  vendor: Vendor;
  /** shown in messages: "Pipedrive", "HubSpot" */
  displayName: string;
  credentialsSchema: z.ZodType<C>;
  settingsSchema: z.ZodType<S>;
  /** what `POST …/sync` accepts as `filter` (a list id, a saved filter) */
  syncFilterSchema?: z.ZodType<Record<string, unknown>>;
  /** how many links `writeReferralLinks` takes at once */
  linkBatchSize: number;
  /** how many contacts a `listContacts` page asks for */
  contactPageSize: number;

  /** Check the credentials with a cheap authenticated call; answer the account they open. */
  verifyCredentials(ctx: ConnectorContext<C, S>): Promise<VendorAccount>;
  /**
   * Check the settings against the vendor account before they are saved (mapped fields exist,
   * pipelines and stages are real) and complete them (custom fields created on request, defaults
   * resolved). Answers the settings to store; throws SettingsError for what the account cannot honour.
   */
  prepareSettings?(ctx: ConnectorContext<C, S>): Promise<S>;
  /**
   * What the settings form chooses from (pipelines and stages, picklists, fields), read from the
   * account. Called with stored credentials, or with credentials not yet saved (before connecting).
   */
  describeOptions?(ctx: ConnectorContext<C, S>): Promise<AccountOptions>;
  /**
   * Register our inbound URL for the events the settings need. Idempotent: a registration that
   * already exists at the vendor for `url` is adopted, never duplicated.
   */
  registerWebhooks(ctx: ConnectorContext<C, S>, input: { url: string; existing: WebhookRegistration[] }): Promise<RegisterResult>;
  /** Remove what `registerWebhooks` made; ones already gone are not an error. */
  unregisterWebhooks(ctx: ConnectorContext<C, S>, webhooks: WebhookRegistration[]): Promise<void>;
  /** Create or update the vendor record(s) for a participant, deduped by email. */
  pushParticipant(ctx: ConnectorContext<C, S>, input: PushInput): Promise<PushResult>;
  /** One page of contacts from `cursor` (null = the beginning). */
  listContacts(ctx: ConnectorContext<C, S>, input: { cursor: string | null; filter: Record<string, unknown> | null; pageSize: number }): Promise<ContactPage>;
  /**
   * Whether a contact the vendor reports as created belongs to an ongoing sync's `filter` (as
   * `syncFilterSchema` parsed it): an ongoing sync over a saved filter or list imports only the
   * contacts in it, whether they arrive by webhook or by catch-up. Core asks before importing,
   * outside any transaction; without this method a filter bounds the first walk only.
   */
  contactInFilter?(ctx: ConnectorContext<C, S>, input: { filter: Record<string, unknown>; contact: VendorContact }): Promise<boolean>;
  /** Write referral links (and codes) onto vendor contacts, at most `linkBatchSize` at a time. */
  writeReferralLinks(ctx: ConnectorContext<C, S>, writes: LinkWrite[]): Promise<LinkWriteResult>;
  /** Verify an inbound delivery (signature, basic auth) and translate it into signals. Pure: no vendor calls. */
  parseWebhook(ctx: ConnectorContext<C, S>, delivery: InboundDelivery): Promise<WebhookVerdict>;
  /** How many participants `pushParticipants` takes in one call. */
  pushBatchSize?: number;
  /**
   * Push several participants in one vendor call (HubSpot's batch upsert); outcomes in input
   * order. When present, core gathers sign-ups over a short window into batches of `pushBatchSize`
   * instead of calling `pushParticipant` once each.
   */
  pushParticipants?(ctx: ConnectorContext<C, S>, inputs: PushInput[]): Promise<BatchPushOutcome[]>;
  /**
   * Complete a stored signal with what only a vendor call can tell (a deal's associated contacts,
   * a new contact's email) before it is applied; null when there is nothing to add. Webhooks must
   * be answered fast and `parseWebhook` is pure, so this runs later, in the job applying the signal.
   */
  resolveSignal?(ctx: ConnectorContext<C, S>, signal: Signal): Promise<Signal | null>;
  /** How often the settings ask for the polling fallback, in ms; null when they do not. */
  pollIntervalMs?(settings: S): number | null;
  /** The polling fallback: what changed since `cursor` (null = first poll: start now) as signals, and the next cursor. */
  pollChanges?(ctx: ConnectorContext<C, S>, input: { cursor: string | null }): Promise<PollResult>;
  /** Whether the settings ask for a change stream (Salesforce Change Data Capture) instead of webhooks. */
  streamsChanges?(settings: S): boolean;
  /**
   * A change stream the worker keeps open (one per integration across all workers): subscribe from
   * `cursor` (null = from now) and hand every change's signals, with the cursor after it, to
   * `deliver` in order; it stores both before it resolves, so a restart resumes there. Resolve
   * when `ctx.signal` aborts (disconnect, settings changed, shutdown); reject when the stream fails
   * (the worker settles the error like any vendor call's and reopens it from the stored cursor).
   */
  streamChanges?(ctx: ConnectorContext<C, S>, input: { cursor: string | null; deliver(batch: PollResult): Promise<void> }): Promise<void>;
  /** The spend rule of a campaign, for connectors that send `spend` signals. */
  spendRule?(settings: S, campaignId: string): SpendRule | null;
  /** Whether this integration issues a campaign's rewards of this kind (`credit`, `coupon`) through `issueReward`. */
  issuesRewards?(settings: S, campaignId: string, kind: string): boolean;
  /** Issue a reward at the vendor; `reward_id` is the idempotency key. */
  issueReward?(ctx: ConnectorContext<C, S>, reward: RewardToIssue): Promise<IssuedReward>;
}

/**
 * Settings the vendor account cannot honour (a mapped field it does not have, a stage of another
 * pipeline). Paths are relative to `settings`; core answers a 400 naming each one and saves nothing.
 */
export class SettingsError extends Error {
  constructor(readonly errors: Array<{ path: string; message: string }>) {
    super(errors.map((e) => `settings.${e.path}: ${e.message}`).join('; '));
    this.name = 'SettingsError';
  }
}

/** A connector whose credential and settings types are not known to the caller (core's view). */
export type AnyConnector = Connector<unknown, BaseSettings>;

/** Declare a connector with its types inferred from its schemas. */
export function defineConnector<C, S extends BaseSettings>(connector: Connector<C, S>): Connector<C, S> {
  return connector;
}

/** Walk every page of contacts from `cursor`, yielding each page with the cursor it started at. */
export async function* contactPages<C, S extends BaseSettings>(
  connector: Connector<C, S>,
  ctx: ConnectorContext<C, S>,
  start: { cursor: string | null; filter: Record<string, unknown> | null },
): AsyncGenerator<ContactPage & { cursor: string | null }> {
  let cursor = start.cursor;
  for (;;) {
    const page = contactPageSchema.parse(await connector.listContacts(ctx, { cursor, filter: start.filter, pageSize: connector.contactPageSize }));
    yield { ...page, cursor };
    if (page.next_cursor === null) return;
    cursor = page.next_cursor;
  }
}
