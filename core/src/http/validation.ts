import type { z } from 'zod';
import { ApiError, type FieldError } from '../lib/errors';

/** Turn zod issues into our field errors; paths are dotted from the body's root. */
export function fieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return { path: path || '(body)', message: issue.message };
  });
}

/** Parse `value` or throw a 400 that names every failing field. */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'params'): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error, where === 'body' ? undefined : where);
  const first = errors[0];
  throw new ApiError('validation_failed', `${first.path}: ${first.message}`, errors);
}
