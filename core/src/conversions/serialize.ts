import type { Conversion } from '../schemas/conversion';

/** A conversions row as the store returns it. */
export interface ConversionRow {
  id: string;
  workspace_id: string;
  campaign_id: string;
  participant_id: string;
  event: string;
  amount: number | null;
  currency: string | null;
  transaction_id: string | null;
  dedupe_key: string;
  source: string;
  metadata: Record<string, unknown>;
  created_at: Date;
}

/** The conversion resource, as the API answers it and `conversion.tracked` carries it. */
export function toConversion(row: ConversionRow): Conversion {
  return {
    id: row.id,
    object: 'conversion',
    campaign_id: row.campaign_id,
    participant_id: row.participant_id,
    event: row.event,
    amount: row.amount,
    currency: row.currency,
    transaction_id: row.transaction_id,
    source: row.source,
    metadata: row.metadata,
    created_at: row.created_at.toISOString(),
  };
}
