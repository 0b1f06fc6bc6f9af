/** One click as the redirect records it: a row of the `clicks` table. */
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

/** The columns written, in the order of the insert's parameters. */
export const CLICK_COLUMNS = [
  'id', 'workspace_id', 'campaign_id', 'participant_id', 'channel', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term',
  'utm_content', 'referer', 'landing_url', 'ip_hash', 'user_agent', 'is_bot', 'created_at',
] as const satisfies ReadonlyArray<keyof ClickRecord>;

const COLUMN_TYPES: Record<(typeof CLICK_COLUMNS)[number], string> = {
  id: 'text', workspace_id: 'text', campaign_id: 'text', participant_id: 'text', channel: 'text', utm_source: 'text',
  utm_medium: 'text', utm_campaign: 'text', utm_term: 'text', utm_content: 'text', referer: 'text', landing_url: 'text',
  ip_hash: 'text', user_agent: 'text', is_bot: 'boolean', created_at: 'timestamptz',
};

/**
 * One INSERT … SELECT FROM unnest(column arrays): 16 parameters however many clicks. A batch may be
 * sent again after a writer died before acknowledging it, so clicks already stored are skipped.
 */
export const CLICK_INSERT_SQL = `INSERT INTO clicks (${CLICK_COLUMNS.join(',')}) SELECT * FROM unnest(${CLICK_COLUMNS.map(
  (col, i) => `$${i + 1}::${COLUMN_TYPES[col]}[]`,
).join(', ')}) ON CONFLICT (id) DO NOTHING`;

/** The insert's parameters for a batch: one array per column. */
export function clickColumns(batch: readonly ClickRecord[]): unknown[][] {
  return CLICK_COLUMNS.map((col) => batch.map((c) => (col === 'created_at' ? c.created_at.toISOString() : c[col])));
}
