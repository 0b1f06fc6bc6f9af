import { z } from 'zod';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Put an object's keys back in the order its schema declares them (keys the schema does not know
 * follow, unchanged). Event data is stored as jsonb, which keeps keys sorted by length; receivers
 * and the apps' sample data should read like the API resource instead.
 */
export function orderLike(value: unknown, schema: z.ZodType): unknown {
  if (schema instanceof z.ZodNullable || schema instanceof z.ZodOptional) return value == null ? value : orderLike(value, schema.unwrap() as z.ZodType);
  if (schema instanceof z.ZodArray && Array.isArray(value)) return value.map((item) => orderLike(item, schema.element as z.ZodType));
  if (!(schema instanceof z.ZodObject) || !isRecord(value)) return value;
  const shape = schema.shape as Record<string, z.ZodType>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) if (key in value) out[key] = orderLike(value[key], shape[key]);
  for (const key of Object.keys(value)) if (!(key in out)) out[key] = value[key];
  return out;
}
