import { z } from 'zod';
import { connectorSettingsSchema } from '../contract';

/**
 * What a HubSpot integration is configured with: a private app's access token, or a public app's
 * OAuth client (with a refresh token, or an authorization code to exchange for one); and the
 * settings — which participants are pushed, the optional deal made next to each contact, the rule
 * that qualifies a referral (and the one that unqualifies it), and the polling fallback. Rules sit
 * at the top level as defaults and may be overridden per campaign.
 */

/**
 * A secret of the user's choosing that a HubSpot workflow's "Send a webhook" action sends in the
 * `X-Referloop-Workflow-Secret` header (authentication type "API key"). Write-only like every credential.
 */
const workflowSecret = z.string().trim().min(16, 'must be at least 16 characters').max(200).optional();

/** A private app: its access token; its client secret when its own webhook subscriptions are sent to us (signed v3). */
export const privateAppCredentialsSchema = z
  .object({
    access_token: z.string().trim().min(10, 'must be a HubSpot private app access token').max(4000),
    client_secret: z.string().trim().min(1).max(200).optional(),
    workflow_secret: workflowSecret,
  })
  .strict();

const oauthClient = {
  client_id: z.string().trim().min(1).max(200),
  /** also the key HubSpot signs the app's webhooks with */
  client_secret: z.string().trim().min(1).max(200),
  redirect_uri: z.url().max(500).optional(),
  workflow_secret: workflowSecret,
};

/** A public app installed through OAuth 2: the refresh token, and the access token while it lasts. */
export const oauthCredentialsSchema = z
  .object({
    ...oauthClient,
    refresh_token: z.string().trim().min(10).max(4000),
    access_token: z.string().min(10).max(4000).optional(),
    /** when the access token runs out; refreshed a minute before */
    expires_at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** An authorization code from HubSpot's install screen: exchanged for tokens when connecting. */
export const oauthCodeCredentialsSchema = z.object({ ...oauthClient, redirect_uri: z.url().max(500), code: z.string().trim().min(1).max(2000) }).strict();

export const credentialsSchema = z.union([privateAppCredentialsSchema, oauthCredentialsSchema, oauthCodeCredentialsSchema]);
export type HubSpotCredentials = z.infer<typeof credentialsSchema>;
export type OAuthCredentials = z.infer<typeof oauthCredentialsSchema>;

/** HubSpot's default lifecycle stages in their order: "reaches customer" means customer or a later stage. */
// https://knowledge.hubspot.com/records/use-lifecycle-stages
export const lifecycleStages = ['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other'] as const;
export type LifecycleStage = (typeof lifecycleStages)[number];

/**
 * True when `value` is `target` or a later stage in `order` (the account's own lifecycle stages,
 * custom ones included, as read when connecting; HubSpot's defaults otherwise). `other` is the last
 * default stage but not progress: it reaches only itself. A stage missing from `order` reaches
 * only itself too.
 */
export function reachesStage(value: string, target: string, order: readonly string[] = lifecycleStages): boolean {
  if (value === target) return true;
  const at = order.indexOf(value);
  const goal = order.indexOf(target);
  return value !== 'other' && at >= 0 && goal >= 0 && at >= goal;
}

const id = z.string().trim().min(1).max(100);

/** What qualifies (or unqualifies) a referral. */
export const ruleSchema = z.discriminatedUnion('when', [
  /** the contact's `lifecyclestage` reaches this stage (or, to unqualify, is exactly it) */
  z.object({ when: z.literal('lifecycle_stage'), stage: z.string().trim().min(1).max(100) }),
  /** the contact's `hs_lead_status` equals this value */
  z.object({ when: z.literal('lead_status'), value: z.string().trim().min(1).max(100) }),
  /** a deal associated with the contact enters this stage of this pipeline (`closedwon` of `default`) */
  z.object({ when: z.literal('deal_stage'), pipeline_id: id, stage_id: id }),
]);
export type Rule = z.infer<typeof ruleSchema>;

/** A deal made next to each pushed contact. */
export const dealSchema = z.object({
  pipeline_id: id,
  stage_id: id,
  /** `{name}`, `{email}`, `{code}` and `{campaign}` are filled in */
  name: z.string().trim().min(1).max(200).default('Referral: {name}'),
});
export type DealSettings = z.infer<typeof dealSchema>;

const defaultQualify: Rule = { when: 'lifecycle_stage', stage: 'customer' };

const baseSchema = connectorSettingsSchema(
  {
    qualify: ruleSchema.default(defaultQualify),
    unqualify: ruleSchema.optional(),
    deal: dealSchema.optional(),
    /** create the `referloop` property group and its contact properties when missing */
    create_properties: z.boolean().default(true),
    /** the account's lifecycle stage ids in their order (custom stages included): read from HubSpot when connecting */
    lifecycle_order: z.array(z.string().min(1).max(100)).max(100).optional(),
    /** the polling fallback: search contacts (and deals) changed since the last poll */
    polling: z.object({ enabled: z.boolean().default(false), interval_seconds: z.number().int().min(1).max(86_400).default(300) }).default({ enabled: false, interval_seconds: 300 }),
  },
  { qualify: ruleSchema.optional(), unqualify: ruleSchema.optional(), deal: dealSchema.optional() },
);

export const settingsSchema = baseSchema;
export type HubSpotSettings = z.infer<typeof settingsSchema>;

/** The rules in force for one campaign (null = the top level). */
export interface CampaignRules {
  qualify: Rule;
  unqualify: Rule | null;
  deal: DealSettings | null;
}

export function rulesFor(settings: HubSpotSettings, campaignId: string | null): CampaignRules {
  const own = campaignId === null ? undefined : settings.campaigns[campaignId];
  return { qualify: own?.qualify ?? settings.qualify, unqualify: own?.unqualify ?? settings.unqualify ?? null, deal: own?.deal ?? settings.deal ?? null };
}

/** Every rule set in force with the settings path it comes from: the top level alone, or one per campaign. */
export function ruleScopes(settings: HubSpotSettings): Array<{ campaignId: string | null; path: string; rules: CampaignRules }> {
  const ids = Object.keys(settings.campaigns);
  if (ids.length === 0) return [{ campaignId: null, path: '', rules: rulesFor(settings, null) }];
  return ids.map((campaignId) => ({ campaignId, path: `campaigns.${campaignId}.`, rules: rulesFor(settings, campaignId) }));
}

/** `POST /v1/integrations/hubspot/sync` filter: a HubSpot list whose contacts are synced (all contacts without it). */
export const syncFilterSchema = z
  .object({ list_id: z.string().trim().regex(/^\d{1,20}$/, 'must be a HubSpot list id').optional().meta({ description: 'A HubSpot list (ILS list id) whose contacts are synced' }) })
  .strict();

/** The contact properties Referloop keeps in HubSpot, in the `referloop` group. */
export const PROPERTY_GROUP = { name: 'referloop', label: 'Referloop' };
export const referralProperties = [
  { name: 'referral_code', label: 'Referral code' },
  { name: 'referral_link', label: 'Referral link' },
  { name: 'referred_by_email', label: 'Referred by (email)' },
  { name: 'referred_by_code', label: 'Referred by (code)' },
  { name: 'referral_status', label: 'Referral status' },
] as const;
