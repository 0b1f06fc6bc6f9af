import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db';
import { ApiError, notFound } from '../lib/errors';
import { newId, randomToken } from '../lib/ids';
import type { CreateCampaignInput, UpdateCampaignInput } from '../schemas/campaign';
import type { CampaignRow } from './rows';

function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return base || 'campaign';
}

type RuleInput = CreateCampaignInput['reward_rules'][number];

/** Give every rule a stable id so rewards can name the rule that earned them. */
function withRuleIds(rules: RuleInput[]) {
  return rules.map((rule) => ({ ...rule, id: rule.id ?? `rule_${randomBytes(6).toString('hex')}` }));
}

async function slugTaken(q: Queryable, slug: string, exceptId?: string): Promise<boolean> {
  const rows = await q.query('SELECT 1 FROM campaigns WHERE slug = $1 AND id <> $2', [slug, exceptId ?? '']);
  return rows.length > 0;
}

async function freeSlug(q: Queryable, name: string): Promise<string> {
  const base = slugify(name);
  if (!(await slugTaken(q, base))) return base;
  for (;;) {
    const candidate = `${base}-${randomBytes(3).toString('hex')}`;
    if (!(await slugTaken(q, candidate))) return candidate;
  }
}

export async function createCampaign(q: Queryable, workspaceId: string, input: CreateCampaignInput): Promise<CampaignRow> {
  let slug = input.slug;
  if (slug && (await slugTaken(q, slug))) {
    throw new ApiError('conflict', `slug '${slug}' is already used by another campaign`, [{ path: 'slug', message: 'is already taken' }]);
  }
  slug ??= await freeSlug(q, input.name);
  const [row] = await q.query<CampaignRow>(
    `INSERT INTO campaigns (id, workspace_id, name, slug, status, destination_url, code_length, code_prefix, attribution,
       attribution_window_days, cookie_days, review_mode, test_mode, reward_rules, fraud, goal, allowed_origins, page,
       metadata, inbound_token)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14::jsonb,$15::jsonb,$16::jsonb,$17::jsonb,$18::jsonb,$19::jsonb,$20)
     RETURNING *`,
    [
      newId('campaign'),
      workspaceId,
      input.name,
      slug,
      input.status,
      input.destination_url,
      input.code.length,
      input.code.prefix,
      input.attribution,
      input.attribution_window_days,
      input.cookie_days,
      input.review_mode,
      input.test_mode,
      JSON.stringify(withRuleIds(input.reward_rules)),
      JSON.stringify(input.fraud),
      JSON.stringify(input.goal),
      JSON.stringify(input.allowed_origins),
      JSON.stringify(input.page),
      JSON.stringify(input.metadata),
      randomToken(20),
    ],
  );
  return row;
}

export async function getCampaign(q: Queryable, workspaceId: string, id: string): Promise<CampaignRow> {
  const [row] = await q.query<CampaignRow>('SELECT * FROM campaigns WHERE id = $1 AND workspace_id = $2', [id, workspaceId]);
  if (!row) throw notFound('campaign', id);
  return row;
}

export async function listCampaigns(
  q: Queryable,
  workspaceId: string,
  opts: { status?: string; limit: number; cursor?: string },
): Promise<CampaignRow[]> {
  return q.query<CampaignRow>(
    `SELECT * FROM campaigns WHERE workspace_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::text IS NULL OR id < $3)
     ORDER BY id DESC LIMIT $4`,
    [workspaceId, opts.status ?? null, opts.cursor ?? null, opts.limit + 1],
  );
}

const columnOf: Record<string, string> = {
  name: 'name',
  slug: 'slug',
  status: 'status',
  destination_url: 'destination_url',
  attribution: 'attribution',
  attribution_window_days: 'attribution_window_days',
  cookie_days: 'cookie_days',
  review_mode: 'review_mode',
  test_mode: 'test_mode',
};
const jsonColumns = new Set(['fraud', 'goal', 'allowed_origins', 'page', 'metadata', 'reward_rules']);

export async function updateCampaign(
  q: Queryable,
  workspaceId: string,
  id: string,
  patch: UpdateCampaignInput,
): Promise<CampaignRow> {
  const current = await getCampaign(q, workspaceId, id);
  if (patch.slug && patch.slug !== current.slug && (await slugTaken(q, patch.slug, id))) {
    throw new ApiError('conflict', `slug '${patch.slug}' is already used by another campaign`, [{ path: 'slug', message: 'is already taken' }]);
  }
  const sets: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown, cast = '') => {
    values.push(value);
    sets.push(`${column} = $${values.length}${cast}`);
  };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'code' && patch.code) {
      set('code_length', patch.code.length);
      set('code_prefix', patch.code.prefix);
    } else if (key === 'reward_rules') {
      set('reward_rules', JSON.stringify(withRuleIds(patch.reward_rules ?? [])), '::jsonb');
    } else if (key === 'fraud') {
      set('fraud', JSON.stringify({ ...(current.fraud as object), ...patch.fraud }), '::jsonb');
    } else if (jsonColumns.has(key)) {
      set(key, JSON.stringify(value), '::jsonb');
    } else if (columnOf[key]) {
      set(columnOf[key], value);
    }
  }
  values.push(id, workspaceId);
  const [row] = await q.query<CampaignRow>(
    `UPDATE campaigns SET ${sets.join(', ')}, updated_at = now() WHERE id = $${values.length - 1} AND workspace_id = $${values.length} RETURNING *`,
    values,
  );
  return row;
}

/** Replace the campaign's inbound webhook token (the old URL stops working at once). */
export async function rotateInboundToken(q: Queryable, workspaceId: string, id: string, signingSecret?: string | null) {
  await getCampaign(q, workspaceId, id);
  const [row] = await q.query<CampaignRow>(
    `UPDATE campaigns SET inbound_token = $1, inbound_secret = CASE WHEN $4::boolean THEN $5 ELSE inbound_secret END, updated_at = now()
     WHERE id = $2 AND workspace_id = $3 RETURNING *`,
    [randomToken(20), id, workspaceId, signingSecret !== undefined, signingSecret ?? null],
  );
  return row;
}
