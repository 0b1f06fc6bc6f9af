import { z } from 'zod';

const daySchema = z.iso.date().meta({ example: '2026-11-22' });

/** GET /v1/campaigns/{id}/stats/daily */
export const dailyStatsQuerySchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30).meta({ description: 'How many days, 1 to 366, ending with `to`' }),
  to: daySchema
    .refine((d) => d >= '1970-01-01', 'must be 1970-01-01 or later')
    .optional()
    .meta({ description: 'The last day of the range (UTC, YYYY-MM-DD); today by default' }),
});

/** One UTC day of a campaign. */
export const dailyStatsEntrySchema = z.object({
  day: daySchema,
  referred: z.number().int().meta({ description: 'Referred participants who signed up that day' }),
  qualified: z.number().int().meta({ description: 'Referrals qualified that day and still qualified' }),
  clicks: z.number().int().meta({ description: 'Clicks by people (bots left out) that day' }),
});

/** The figures of every day of the range, oldest first, days without activity included as zeros. */
export const dailyStatsSchema = z.object({
  from: daySchema,
  to: daySchema,
  data: z.array(dailyStatsEntrySchema),
});
export type DailyStats = z.infer<typeof dailyStatsSchema>;
