import type { Queryable } from '../db';
import { spliceDestination, type DestinationSplice } from './destination';

/** What the redirect needs to answer for a code: one indexed lookup, then memory. */
export interface CodeTarget {
  participantId: string;
  workspaceId: string;
  campaignId: string;
  destination: string;
  /** The destination cut where our `ref` and `rl_click` go, computed once per lookup rather than per click. */
  splice: DestinationSplice;
  attributing: boolean;
  cookieDays: number;
  attribution: 'first_click' | 'last_click';
}

interface Entry {
  target: CodeTarget | null;
  expires: number;
}

/**
 * code → destination, cached for a short while (campaign edits invalidate at once in this process;
 * other processes see them within the TTL). Unknown codes are cached briefly too, so a bot
 * hammering random codes cannot hammer the database.
 */
export class CodeCache {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly db: Queryable,
    private readonly ttlMs = 30_000,
    private readonly missTtlMs = 2_000,
    private readonly maxEntries = 100_000,
  ) {}

  /**
   * The cached answer without a round trip through a promise (the redirect's common case):
   * a target, null for a code known not to exist, or undefined when it must be looked up.
   */
  cached(code: string, now = Date.now()): CodeTarget | null | undefined {
    const hit = this.entries.get(code);
    return hit && hit.expires > now ? hit.target : undefined;
  }

  async lookup(code: string, now = Date.now()): Promise<CodeTarget | null> {
    const hit = this.cached(code, now);
    if (hit !== undefined) return hit;
    const [row] = await this.db.query<{
      participant_id: string;
      workspace_id: string;
      campaign_id: string;
      destination_url: string;
      status: string;
      cookie_days: number;
      attribution: 'first_click' | 'last_click';
    }>(
      `SELECT p.id AS participant_id, p.workspace_id, p.campaign_id, c.destination_url, c.status, c.cookie_days, c.attribution
       FROM participants p JOIN campaigns c ON c.id = p.campaign_id WHERE p.code = $1`,
      [code],
    );
    const target: CodeTarget | null = row
      ? {
          participantId: row.participant_id,
          workspaceId: row.workspace_id,
          campaignId: row.campaign_id,
          destination: row.destination_url,
          splice: spliceDestination(row.destination_url),
          attributing: row.status === 'live',
          cookieDays: row.cookie_days,
          attribution: row.attribution,
        }
      : null;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(code, { target, expires: now + (target ? this.ttlMs : this.missTtlMs) });
    return target;
  }

  /** Forget every code of a campaign (its destination or status changed). */
  invalidateCampaign(campaignId: string): void {
    for (const [code, entry] of this.entries) if (entry.target?.campaignId === campaignId) this.entries.delete(code);
  }

  /** Forget one code (a participant was created with a code that was cached as unknown). */
  invalidateCode(code: string): void {
    this.entries.delete(code);
  }
}
