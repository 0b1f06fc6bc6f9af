import type { AnyConnector } from '@referloop/connectors';
import { z } from 'zod';

/**
 * The settings a connector applies where none are given: each top-level setting's schema default
 * (read from the connector's own settings schema, so the form and the connector cannot disagree).
 * Settings without a default (a Pipedrive pipeline) are left out: the account must choose them.
 */
export function settingsDefaults(connector: AnyConnector): Record<string, unknown> {
  const schema = connector.settingsSchema;
  if (!(schema instanceof z.ZodObject)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    if (!(field instanceof z.ZodType)) continue;
    const parsed = field.safeParse(undefined);
    if (parsed.success && parsed.data !== undefined) out[key] = parsed.data;
  }
  return out;
}
