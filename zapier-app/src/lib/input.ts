import type { ZObject } from 'zapier-platform-core';
import { z as zod } from 'zod';

/* What a Zap step hands over is external data too: mapped fields arrive as strings, blank ones as ''. */

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** A required text field. */
export const text = () => zod.preprocess(blankToUndefined, zod.string({ error: 'is required' }).trim());

/** An optional text field; blank counts as not given. */
export const optionalText = () => zod.preprocess(blankToUndefined, zod.string().trim().optional());

/** An optional number; mapped values arrive as text ("49.99"). */
export const optionalNumber = () =>
  zod.preprocess(
    (value) => {
      const v = blankToUndefined(value);
      return typeof v === 'string' ? Number(v.replace(/,/g, '')) : v;
    },
    zod.number({ error: 'must be a number' }).optional(),
  );

/** A key/value (dict) field: text values only, as Zapier sends them. */
export const optionalDict = () =>
  zod.preprocess(
    (value) => (value && typeof value === 'object' && Object.keys(value).length === 0 ? undefined : value),
    zod.record(zod.string(), zod.union([zod.string(), zod.number(), zod.boolean()])).optional(),
  );

/**
 * Parse a step's inputData; a failure names the field by its label so the user knows what to fix.
 */
export function parseInput<T extends zod.ZodType>(z: ZObject, schema: T, inputData: unknown, labels: Record<string, string>): zod.infer<T> {
  const parsed = schema.safeParse(inputData);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    return `${labels[key] ?? key}: ${issue.message}`;
  });
  throw new z.errors.Error(problems.join('; '), 'InvalidInput', 400);
}
