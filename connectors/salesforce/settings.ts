import { z } from 'zod';
import { connectorSettingsSchema } from '../contract';

/**
 * What a Salesforce integration is configured with: the credentials (OAuth 2 tokens from the
 * web-server flow, an authorization code to exchange for them, a connected app's JWT bearer key,
 * or — legacy only — a username, password and security token) and the settings: what a pushed
 * participant becomes (Lead or Contact), which fields carry the referral data, what qualifies, how
 * qualification is detected (Change Data Capture, or SOQL polling) and which object a sync reads.
 */

/** The REST API version every call and the CometD endpoint use; set explicitly, never jsforce's default. */
export const API_VERSION = '62.0';

const url = z.url({ protocol: /^https?$/ }).max(500);
/** Where OAuth requests go: login.salesforce.com, test.salesforce.com (sandboxes) or a My Domain. */
const loginUrl = url.optional().meta({ description: 'OAuth host; default https://login.salesforce.com (https://test.salesforce.com for sandboxes)' });
const clientId = z.string().trim().min(1).max(500);
const clientSecret = z.string().trim().min(1).max(500);

/** Tokens from the OAuth 2 web-server flow; with the client id and secret the access token is refreshed. */
export const tokenCredentialsSchema = z
  .object({
    instance_url: url,
    access_token: z.string().min(10).max(4000),
    refresh_token: z.string().min(10).max(4000).optional(),
    client_id: clientId.optional(),
    client_secret: clientSecret.optional(),
    login_url: loginUrl,
  })
  .strict()
  .refine((c) => c.refresh_token === undefined || c.client_id !== undefined, { path: ['client_id'], message: 'is required with a refresh_token (it is sent when refreshing)' });

/** An authorization code from Salesforce's consent screen: exchanged for tokens when connecting. */
export const codeCredentialsSchema = z
  .object({ client_id: clientId, client_secret: clientSecret, redirect_uri: url, code: z.string().trim().min(1).max(2000), login_url: loginUrl })
  .strict();

/** A connected app's JWT bearer flow: a key pair, no refresh token; a new assertion gets a new access token. */
export const jwtCredentialsSchema = z
  .object({
    client_id: clientId,
    username: z.string().trim().min(3).max(320),
    private_key: z.string().trim().startsWith('-----BEGIN', 'must be a PEM private key').max(10_000),
    login_url: loginUrl,
    /** filled in from the token answer */
    instance_url: url.optional(),
    access_token: z.string().min(10).max(4000).optional(),
  })
  .strict();

/** Legacy: username + password + security token. Salesforce is retiring it; connecting warns. */
export const passwordCredentialsSchema = z
  .object({
    username: z.string().trim().min(3).max(320),
    password: z.string().min(1).max(500),
    security_token: z.string().max(100).default(''),
    client_id: clientId.optional(),
    client_secret: clientSecret.optional(),
    login_url: loginUrl,
    instance_url: url.optional(),
    access_token: z.string().min(10).max(4000).optional(),
  })
  .strict();

export const credentialsSchema = z.union([tokenCredentialsSchema, codeCredentialsSchema, jwtCredentialsSchema, passwordCredentialsSchema]);
export type SalesforceCredentials = z.infer<typeof credentialsSchema>;
export type TokenCredentials = z.infer<typeof tokenCredentialsSchema>;
export type JwtCredentials = z.infer<typeof jwtCredentialsSchema>;
export type PasswordCredentials = z.infer<typeof passwordCredentialsSchema>;

export const LEGACY_LOGIN_WARNING =
  'Connected with a username, password and security token: a legacy login Salesforce is retiring. Reconnect with OAuth (web-server flow or a JWT bearer connected app).';

/** Placeholders an extra field template may use. */
export const placeholders = ['name', 'first_name', 'last_name', 'email', 'code', 'referral_link', 'referrer', 'referrer_email', 'referrer_code', 'campaign'] as const;
export type Placeholder = (typeof placeholders)[number];
const placeholderPattern = /\{([a-z_]+)\}/g;

const templateSchema = z
  .string()
  .max(500)
  .refine((t) => [...t.matchAll(placeholderPattern)].every((m) => (placeholders as readonly string[]).includes(m[1])), {
    message: `unknown placeholder; use ${placeholders.map((p) => `{${p}}`).join(', ')}`,
  });

/** A field's API name: `Company`, `LeadSource`, `Referral_Code__c`, `ns__Field__c`. */
const fieldName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,79}$/, 'must be a Salesforce field API name');
const optionalField = fieldName.nullable().default(null);
/** A picklist value (Lead `Status`, Opportunity `StageName`). */
const picklistValue = z.string().trim().min(1).max(255);

/** Field API name → template (literal text and placeholders), for fields without a dedicated setting. */
const fieldMapSchema = z.record(fieldName, templateSchema);
export type FieldMap = z.infer<typeof fieldMapSchema>;

/** The rules one campaign follows; at the top level they are every campaign's defaults. */
const ruleShape = {
  /** a Lead whose Status reaches this value qualifies the referral (e.g. `Closed - Converted`) */
  qualified_lead_status: picklistValue.nullable(),
  /** an Opportunity whose StageName reaches this value qualifies it; converted leads are followed to theirs */
  qualified_opportunity_stage: picklistValue.nullable(),
  /** an Opportunity reaching this stage unqualifies it (e.g. `Closed Lost`) */
  unqualified_opportunity_stage: picklistValue.nullable(),
  /** `LeadSource` of the Leads pushed for the campaign */
  lead_source: z.string().trim().min(1).max(255).nullable(),
};

export const settingsSchema = connectorSettingsSchema(
  {
    /** what a pushed participant becomes */
    push_as: z.enum(['lead', 'contact']).default('lead'),
    /** field (on Leads and Contacts) the referral code is written to, read back from and matched by */
    referral_code_field: optionalField,
    /** field the participant's referral link is written to (pushes and sync write-back) */
    referral_link_field: optionalField,
    /** field the referrer's name and email are written to */
    referred_by_field: optionalField,
    /** Opportunity field holding the referral code (lead conversion can map it across) */
    opportunity_referral_code_field: optionalField,
    /** more fields of the pushed record: API name → template */
    extra_fields: fieldMapSchema.default({}),
    /** `Company` of pushed Leads (Salesforce requires one); `{name}` when absent */
    company: templateSchema.default('{name}'),
    qualified_lead_status: ruleShape.qualified_lead_status.default(null),
    qualified_opportunity_stage: ruleShape.qualified_opportunity_stage.default('Closed Won'),
    unqualified_opportunity_stage: ruleShape.unqualified_opportunity_stage.default(null),
    lead_source: ruleShape.lead_source.default('Referral'),
    /** cdc: Change Data Capture through the Streaming API; polling: SOQL on SystemModstamp on a schedule */
    detection: z.enum(['cdc', 'polling']).default('cdc'),
    /** how often polling asks Salesforce, in seconds (detection: polling) */
    poll_interval_seconds: z.number().int().min(1).max(3600).default(60),
    /** what a contact sync reads */
    sync_object: z.enum(['Contact', 'Lead']).default('Contact'),
  },
  {
    qualified_lead_status: ruleShape.qualified_lead_status.optional(),
    qualified_opportunity_stage: ruleShape.qualified_opportunity_stage.optional(),
    unqualified_opportunity_stage: ruleShape.unqualified_opportunity_stage.optional(),
    lead_source: ruleShape.lead_source.optional(),
  },
);
export type SalesforceSettings = z.infer<typeof settingsSchema>;

export interface CampaignRules {
  qualified_lead_status: string | null;
  qualified_opportunity_stage: string | null;
  unqualified_opportunity_stage: string | null;
  lead_source: string | null;
}

/** The rules in force for one campaign: its own, else the top-level ones. */
export function rulesFor(settings: SalesforceSettings, campaignId: string | null): CampaignRules {
  const own = campaignId === null ? undefined : settings.campaigns[campaignId];
  return {
    qualified_lead_status: own?.qualified_lead_status === undefined ? settings.qualified_lead_status : own.qualified_lead_status,
    qualified_opportunity_stage: own?.qualified_opportunity_stage === undefined ? settings.qualified_opportunity_stage : own.qualified_opportunity_stage,
    unqualified_opportunity_stage: own?.unqualified_opportunity_stage === undefined ? settings.unqualified_opportunity_stage : own.unqualified_opportunity_stage,
    lead_source: own?.lead_source === undefined ? settings.lead_source : own.lead_source,
  };
}

/** Every rule set in force: the top level alone, or one per listed campaign. */
export function ruleScopes(settings: SalesforceSettings): Array<{ campaignId: string | null; rules: CampaignRules }> {
  const ids = Object.keys(settings.campaigns);
  if (ids.length === 0) return [{ campaignId: null, rules: rulesFor(settings, null) }];
  return ids.map((campaignId) => ({ campaignId, rules: rulesFor(settings, campaignId) }));
}

/** `POST /v1/integrations/salesforce/sync` filter: a SOQL condition on the synced object. */
export const syncFilterSchema = z
  .object({
    where: z
      .string()
      .trim()
      .min(1)
      .max(1000)
      .refine((w) => !/;|\b(LIMIT|ORDER\s+BY|OFFSET)\b/i.test(w), 'must be a plain SOQL condition (no LIMIT, ORDER BY, OFFSET or ;)')
      .optional()
      .meta({ description: "A SOQL condition on the synced object, e.g. `MailingCountry = 'FR'`" }),
  })
  .strict();
