import { z } from 'zod';

/** ISO-8601 UTC timestamp as it appears on the wire. */
export const timestampSchema = z.iso.datetime({ offset: true }).meta({ example: '2026-11-22T10:00:00.000Z' });

/** Integer minor units (cents) and an ISO-4217 currency. */
export const amountSchema = z.number().int().min(0).max(1_000_000_000_000);
export const currencySchema = z
  .string()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO currency code')
  .transform((c) => c.toUpperCase());

export const emailSchema = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email({ message: 'must be a valid email address' }));

export const metadataSchema = z
  .record(z.string().max(40), z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
  .refine((m) => Object.keys(m).length <= 50, 'at most 50 keys')
  .meta({ description: 'Your own key/value data, returned as given' });

/** `?limit=&cursor=` on every list route. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(200).optional(),
});

/** A page of a list: newest first, `next_cursor` null on the last page. */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

/** Optional boolean flags arriving as query strings. */
export const queryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true');
