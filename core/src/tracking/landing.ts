import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { getCampaign } from '../domain/campaigns';
import type { CampaignRow } from '../domain/rows';
import { normalizeCode } from '../lib/codes';

/** A landing the snippet remembered, resolved: the campaign and how the sign-up attributes. */
export interface Landing {
  campaign: CampaignRow;
  /** Passed to createParticipant: the click (attribution window applies) or the code. */
  attribution: { click_id: string } | { referrer_code: string };
}

const DAY_MS = 86_400_000;

/**
 * Resolve `rl_click` / `ref` from the snippet's cookie. The click wins when it is known (it carries
 * channel and time); a code alone still attributes. A campaign that is not live, or a click older
 * than the attribution window, attributes nothing — the same rules as the redirect and sign-up.
 */
export async function resolveLanding(
  q: Queryable,
  ctx: HubContext,
  workspaceId: string,
  landing: { ref?: string; rl_click?: string },
): Promise<Landing | null> {
  if (landing.rl_click) {
    const [stored] = await q.query<{ campaign_id: string; created_at: Date }>('SELECT campaign_id, created_at FROM clicks WHERE id = $1 AND workspace_id = $2', [
      landing.rl_click,
      workspaceId,
    ]);
    const click = stored ?? ctx.bufferedClick?.(landing.rl_click, workspaceId);
    if (click) {
      const campaign = await getCampaign(q, workspaceId, click.campaign_id);
      const inWindow = ctx.now().getTime() - click.created_at.getTime() <= campaign.attribution_window_days * DAY_MS;
      return campaign.status === 'live' && inWindow ? { campaign, attribution: { click_id: landing.rl_click } } : null;
    }
  }
  if (landing.ref) {
    const [owner] = await q.query<{ campaign_id: string }>('SELECT campaign_id FROM participants WHERE code = $1 AND workspace_id = $2', [
      normalizeCode(landing.ref),
      workspaceId,
    ]);
    if (!owner) return null;
    const campaign = await getCampaign(q, workspaceId, owner.campaign_id);
    return campaign.status === 'live' ? { campaign, attribution: { referrer_code: landing.ref } } : null;
  }
  return null;
}
