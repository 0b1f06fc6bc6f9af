import type { Queryable } from '../db';
import { readCampaignSettings } from '../domain/campaign-settings';
import type { CampaignRow } from '../domain/rows';
import { ApiError } from '../lib/errors';

/** `https://Shop.example.com:443/` → `https://shop.example.com`; null for anything that is not an http(s) origin. */
export function normalizeOrigin(value: string | undefined | null): string | null {
  if (!value || value === 'null') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** The sites a campaign's snippet may run on: its allowed_origins and the origin of its destination. */
export function campaignOrigins(campaign: CampaignRow): Set<string> {
  const out = new Set<string>();
  for (const o of [...readCampaignSettings(campaign).allowedOrigins, campaign.destination_url]) {
    const n = normalizeOrigin(o);
    if (n) out.add(n);
  }
  return out;
}

/** Refuse a browser request from a site the campaign does not list (nothing is written before this check). */
export function assertOriginAllowed(origin: string | null, campaign: CampaignRow): void {
  if (origin && campaignOrigins(campaign).has(origin)) return;
  throw new ApiError(
    'forbidden',
    origin
      ? `Origin ${origin} is not allowed for campaign ${campaign.id}; add it to the campaign's allowed_origins`
      : 'The tracking routes answer browsers only (no Origin header); servers use the secret-key API',
  );
}

/**
 * Every origin any campaign of the workspace allows. Used where the campaign is not known yet: the
 * CORS preflight, and making early errors readable by the page. Writes check the campaign itself.
 */
export async function workspaceOrigins(q: Queryable, workspaceId: string): Promise<Set<string>> {
  const rows = await q.query<CampaignRow>('SELECT * FROM campaigns WHERE workspace_id = $1', [workspaceId]);
  const out = new Set<string>();
  for (const row of rows) for (const o of campaignOrigins(row)) out.add(o);
  return out;
}
