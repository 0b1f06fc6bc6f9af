import { z } from 'zod';

/** `?campaign_id=` of both CSV uploads (a multipart upload may send it as a field before the file). */
export const importQuerySchema = z.object({ campaign_id: z.string().min(1).optional() });

/** A row that was not applied, with the line of the file it is on (the header is line 1). */
export const invalidRowSchema = z.object({ line: z.number().int(), reason: z.string() });

const summaryBase = {
  object: z.literal('import'),
  campaign_id: z.string(),
  rows: z.number().int().meta({ description: 'Data rows read (the header and blank lines are not rows)' }),
  invalid_count: z.number().int(),
  invalid: z.array(invalidRowSchema).meta({ description: 'The first 1,000 invalid rows, in file order' }),
  invalid_truncated: z.boolean(),
  duration_ms: z.number().int(),
};

/** POST /v1/imports/customers: rows = matched + not_found + invalid_count. */
export const customersImportSummarySchema = z.object({
  ...summaryBase,
  kind: z.literal('customers'),
  matched: z.number().int().meta({ description: 'Rows whose email or code is a participant of the campaign' }),
  qualified: z.number().int().meta({ description: 'Pending referrals qualified by this upload' }),
  already_qualified: z.number().int().meta({ description: 'Referrals qualified before (by an earlier upload, a repeat row, or any other path)' }),
  held_for_review: z.number().int().meta({ description: 'Flagged referrals: the qualification waits for a review' }),
  not_referred: z.number().int().meta({ description: 'Participants who joined without a referrer' }),
  unqualified: z.number().int().meta({ description: 'Referrals unqualified on purpose (refund, rejected): left as they are' }),
  not_found: z.number().int(),
});
export type CustomersImportSummary = z.infer<typeof customersImportSummarySchema>;

/** POST /v1/imports/participants: rows = created + existing + invalid_count. */
export const participantsImportSummarySchema = z.object({
  ...summaryBase,
  kind: z.literal('participants'),
  created: z.number().int(),
  referred: z.number().int().meta({ description: 'Of the created, those with a referrer_code (type referred)' }),
  existing: z.number().int().meta({ description: 'Emails already in the campaign (or repeated in the file): left unchanged' }),
});
export type ParticipantsImportSummary = z.infer<typeof participantsImportSummarySchema>;
