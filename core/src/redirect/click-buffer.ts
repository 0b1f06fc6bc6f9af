import type { Db } from '../db';
import type { Logger } from '../lib/logger';

export interface ClickRecord {
  id: string;
  workspace_id: string;
  campaign_id: string;
  participant_id: string;
  channel: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  utm_term: string | null;
  utm_content: string | null;
  referer: string | null;
  landing_url: string | null;
  ip_hash: string | null;
  user_agent: string | null;
  is_bot: boolean;
  created_at: Date;
}

const COLUMNS = [
  'id', 'workspace_id', 'campaign_id', 'participant_id', 'channel', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term',
  'utm_content', 'referer', 'landing_url', 'ip_hash', 'user_agent', 'is_bot', 'created_at',
] as const;

const COLUMN_TYPES: Record<(typeof COLUMNS)[number], string> = {
  id: 'text', workspace_id: 'text', campaign_id: 'text', participant_id: 'text', channel: 'text', utm_source: 'text',
  utm_medium: 'text', utm_campaign: 'text', utm_term: 'text', utm_content: 'text', referer: 'text', landing_url: 'text',
  ip_hash: 'text', user_agent: 'text', is_bot: 'boolean', created_at: 'timestamptz',
};

/**
 * Clicks are written off the response path: buffered, then inserted as one multi-row INSERT every
 * `intervalMs` or as soon as `maxRows` are waiting. A clean shutdown flushes; a hard crash loses at
 * most the clicks of the last interval. If the database is down, rows wait (up to `maxPending`).
 */
export class ClickBuffer {
  private pending: ClickRecord[] = [];
  private byId = new Map<string, ClickRecord>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    private readonly intervalMs = 20,
    private readonly maxRows = 500,
    private readonly maxPending = 100_000,
  ) {}

  add(click: ClickRecord): void {
    if (this.pending.length >= this.maxPending) {
      this.log.error({ dropped: 1 }, 'click buffer full; dropping a click');
      return;
    }
    this.pending.push(click);
    this.byId.set(click.id, click);
    if (this.pending.length >= this.maxRows) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  /** A click not written yet (a sign-up can follow its click within milliseconds). */
  get(id: string): ClickRecord | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Write everything waiting now. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.pending.length);
    this.flushing = this.write(batch)
      .then(() => {
        for (const c of batch) this.byId.delete(c.id);
      })
      .catch((err: unknown) => {
        this.log.error({ err, clicks: batch.length }, 'writing clicks failed; will retry');
        this.pending.unshift(...batch);
        this.timer ??= setTimeout(() => void this.flush(), 1000);
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  /** One INSERT … SELECT FROM unnest(column arrays): 16 parameters however many clicks. */
  private async write(batch: ClickRecord[]): Promise<void> {
    const columns = COLUMNS.map((col) => batch.map((c) => (col === 'created_at' ? c.created_at.toISOString() : c[col])));
    const casts = COLUMNS.map((col, i) => `$${i + 1}::${COLUMN_TYPES[col]}[]`).join(', ');
    await this.db.query(`INSERT INTO clicks (${COLUMNS.join(',')}) SELECT * FROM unnest(${casts}) ON CONFLICT (id) DO NOTHING`, columns);
  }
}
