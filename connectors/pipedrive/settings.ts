import { z } from 'zod';
import { connectorSettingsSchema } from '../contract';

/**
 * What a Pipedrive integration is configured with: the credentials (an API token, or OAuth 2
 * tokens, or an authorization code to exchange for them) and the settings — how referred users
 * are sent (deal or lead), which stage qualifies, and how participant fields map onto Pipedrive
 * person and deal fields. Rules sit at the top as defaults and may be overridden per campaign.
 */

/**
 * The HTTP basic-auth credentials our webhooks carry. Generated when left out; set them to add
 * webhooks by hand in Pipedrive (v1 or v2) with the same username and password.
 */
const webhookAuth = {
  webhook_auth: z
    .object({ user: z.string().trim().min(3).max(100).regex(/^[^:]+$/, 'may not contain ":"'), password: z.string().min(16, 'use at least 16 characters').max(200) })
    .strict()
    .optional(),
};

/** A personal API token (sent as the `x-api-token` header). */
export const apiTokenCredentialsSchema = z.object({ api_token: z.string().trim().min(20, 'must be a Pipedrive API token').max(200), ...webhookAuth }).strict();

const oauthClient = {
  ...webhookAuth,
  client_id: z.string().trim().min(1).max(200),
  client_secret: z.string().trim().min(1).max(200),
  /** the redirect URI registered for the app; only the authorization-code exchange sends it */
  redirect_uri: z.url().max(500).optional(),
};

/** OAuth 2 tokens; `api_domain` (from the token response) is the company's API host. */
export const oauthCredentialsSchema = z
  .object({
    ...oauthClient,
    access_token: z.string().min(10).max(4000),
    refresh_token: z.string().min(10).max(4000),
    api_domain: z.url({ protocol: /^https?$/ }).max(500),
    /** when the access token runs out; refreshed shortly before */
    expires_at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** An authorization code from Pipedrive's consent screen: exchanged for tokens when connecting. */
export const oauthCodeCredentialsSchema = z.object({ ...oauthClient, redirect_uri: z.url().max(500), code: z.string().trim().min(1).max(2000) }).strict();

export const credentialsSchema = z.union([apiTokenCredentialsSchema, oauthCredentialsSchema, oauthCodeCredentialsSchema]);
export type PipedriveCredentials = z.infer<typeof credentialsSchema>;
export type OAuthCredentials = z.infer<typeof oauthCredentialsSchema>;

/** Placeholders a field template may use. */
export const placeholders = ['name', 'first_name', 'last_name', 'email', 'code', 'referral_link', 'referrer', 'referrer_name', 'referrer_email', 'referrer_code', 'campaign'] as const;
export type Placeholder = (typeof placeholders)[number];
/** Never empty: `name` falls back to the email, the others always exist. */
const alwaysPresent: ReadonlySet<string> = new Set(['name', 'email', 'code', 'referral_link', 'campaign']);
const placeholderPattern = /\{([a-z_]+)\}/g;

/** The placeholders a template names. */
export function templatePlaceholders(template: string): string[] {
  return [...template.matchAll(placeholderPattern)].map((m) => m[1]);
}

/** True when a template renders to text for every participant (literal text or an always-present placeholder). */
export function alwaysProducesText(template: string): boolean {
  return template.replace(placeholderPattern, '').trim() !== '' || templatePlaceholders(template).some((p) => alwaysPresent.has(p));
}

const templateSchema = z
  .string()
  .trim()
  .min(1)
  .max(500)
  .refine((t) => templatePlaceholders(t).every((p) => (placeholders as readonly string[]).includes(p)), {
    message: `unknown placeholder; use ${placeholders.map((p) => `{${p}}`).join(', ')}`,
  });

/** Pipedrive field key (`name`, `title`, or a custom field's 40-character hash) → template. */
const fieldMapSchema = z.record(z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'must be a Pipedrive field key'), templateSchema);
export type FieldMap = z.infer<typeof fieldMapSchema>;

const id = z.number().int().positive();

/** The rules one campaign follows; at the top level they are every campaign's defaults. */
const ruleShape = {
  /** what a pushed participant becomes next to its person */
  send_as: z.enum(['deal', 'lead']),
  pipeline_id: id,
  /** the stage a new deal starts in (default: the pipeline's first stage) */
  stage_id: id,
  /** a deal entering this stage qualifies the referral */
  qualified_stage_id: id,
  /** a deal whose status turns `won` qualifies too */
  qualify_on_won: z.boolean(),
  /** a deal whose status turns `lost` unqualifies the referral */
  unqualify_on_lost: z.boolean(),
  /** person fields: `name` must always be mapped (Pipedrive requires it) */
  person_fields: fieldMapSchema,
  /** deal (and lead) fields: `title` must always be mapped; leads use the deal custom fields */
  deal_fields: fieldMapSchema,
};

const defaultPersonFields: FieldMap = { name: '{name}' };
const defaultDealFields: FieldMap = { title: 'Referral: {name}' };

const baseSchema = connectorSettingsSchema(
  {
    send_as: ruleShape.send_as.default('deal'),
    pipeline_id: ruleShape.pipeline_id.optional(),
    stage_id: ruleShape.stage_id.optional(),
    qualified_stage_id: ruleShape.qualified_stage_id.optional(),
    qualify_on_won: ruleShape.qualify_on_won.default(false),
    unqualify_on_lost: ruleShape.unqualify_on_lost.default(false),
    person_fields: ruleShape.person_fields.default(defaultPersonFields),
    deal_fields: ruleShape.deal_fields.default(defaultDealFields),
    /** create the `Referral code`, `Referral link` and `Referred by` fields in Pipedrive and map them */
    create_fields: z.boolean().default(false),
    /** how often persons created in Pipedrive are looked for, in case a `create person` webhook was missed (null: never) */
    catch_up_every_seconds: z.number().int().min(1).max(86_400).nullable().default(900),
  },
  {
    send_as: ruleShape.send_as.optional(),
    pipeline_id: ruleShape.pipeline_id.optional(),
    stage_id: ruleShape.stage_id.optional(),
    qualified_stage_id: ruleShape.qualified_stage_id.optional(),
    qualify_on_won: ruleShape.qualify_on_won.optional(),
    unqualify_on_lost: ruleShape.unqualify_on_lost.optional(),
    /** merged over the top-level mapping */
    person_fields: ruleShape.person_fields.optional(),
    deal_fields: ruleShape.deal_fields.optional(),
  },
);
type ParsedSettings = z.infer<typeof baseSchema>;

/** The rules in force for one campaign: its own, else the top-level ones. */
export interface CampaignRules {
  send_as: 'deal' | 'lead';
  pipeline_id: number | null;
  stage_id: number | null;
  qualified_stage_id: number | null;
  qualify_on_won: boolean;
  unqualify_on_lost: boolean;
  person_fields: FieldMap;
  deal_fields: FieldMap;
}

export function rulesFor(settings: ParsedSettings, campaignId: string | null): CampaignRules {
  const own = campaignId === null ? undefined : settings.campaigns[campaignId];
  return {
    send_as: own?.send_as ?? settings.send_as,
    pipeline_id: own?.pipeline_id ?? settings.pipeline_id ?? null,
    stage_id: own?.stage_id ?? (own?.pipeline_id === undefined ? settings.stage_id : undefined) ?? null,
    qualified_stage_id: own?.qualified_stage_id ?? settings.qualified_stage_id ?? null,
    qualify_on_won: own?.qualify_on_won ?? settings.qualify_on_won,
    unqualify_on_lost: own?.unqualify_on_lost ?? settings.unqualify_on_lost,
    person_fields: { ...settings.person_fields, ...(own?.person_fields ?? {}) },
    deal_fields: { ...settings.deal_fields, ...(own?.deal_fields ?? {}) },
  };
}

/** Every rule set in force, with the settings path it comes from: the top level alone, or one per campaign. */
export function ruleScopes(settings: ParsedSettings): Array<{ campaignId: string | null; path: string; rules: CampaignRules }> {
  const ids = Object.keys(settings.campaigns);
  if (ids.length === 0) return [{ campaignId: null, path: '', rules: rulesFor(settings, null) }];
  return ids.map((campaignId) => ({ campaignId, path: `campaigns.${campaignId}.`, rules: rulesFor(settings, campaignId) }));
}

/** The field keys mapped to exactly `{placeholder}` in a map (where the code or the link is kept). */
export function keysMappedTo(map: FieldMap, placeholder: Placeholder): string[] {
  return Object.entries(map)
    .filter(([, template]) => template.trim() === `{${placeholder}}`)
    .map(([key]) => key);
}

/** The same keys across every rule set (webhooks and syncs see records of any campaign). */
export function allKeysMappedTo(settings: ParsedSettings, object: 'person' | 'deal', placeholder: Placeholder): string[] {
  const keys = new Set<string>();
  for (const { rules } of ruleScopes(settings)) for (const key of keysMappedTo(object === 'person' ? rules.person_fields : rules.deal_fields, placeholder)) keys.add(key);
  return [...keys];
}

/**
 * The settings schema: shape, defaults and the checks that need no Pipedrive call. Each rule set
 * sending deals names a pipeline, and the mapping always produces the person name and the
 * deal/lead title Pipedrive requires. Fields and stages are checked against the account in
 * `prepareSettings` (fields.ts).
 */
export const settingsSchema = baseSchema.superRefine((settings, ctx) => {
  for (const { path, rules, campaignId } of ruleScopes(settings)) {
    const at = (key: string) => (campaignId === null ? [key] : ['campaigns', campaignId, key]);
    if (rules.send_as === 'deal' && rules.pipeline_id === null) ctx.addIssue({ code: 'custom', path: at('pipeline_id'), message: `is required to send deals (${path}send_as is deal)` });
    const checks: Array<[string, FieldMap, string]> = [
      ['person_fields', rules.person_fields, 'name'],
      ['deal_fields', rules.deal_fields, 'title'],
    ];
    for (const [mapName, map, required] of checks) {
      const template = map[required];
      if (template === undefined) ctx.addIssue({ code: 'custom', path: [...at(mapName), required], message: `must be mapped: Pipedrive requires a ${required}` });
      else if (!alwaysProducesText(template)) {
        ctx.addIssue({ code: 'custom', path: [...at(mapName), required], message: 'may render empty: add text or an always-present placeholder ({name}, {email}, {code})' });
      }
    }
  }
});
export type PipedriveSettings = z.infer<typeof settingsSchema>;

/** `POST /v1/integrations/pipedrive/sync` filter: a saved Pipedrive filter, and/or persons changed since. */
export const syncFilterSchema = z
  .object({
    filter_id: id.optional().meta({ description: 'A Pipedrive filter (Contacts → People → filter) whose persons are synced' }),
    updated_since: z.iso.datetime({ offset: true }).optional().meta({ description: 'Only persons changed since then (catch-up runs)' }),
  })
  .strict();
