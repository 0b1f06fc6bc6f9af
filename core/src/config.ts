import path from 'node:path';
import { z } from 'zod';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

/** Everything the hub reads from the environment, validated once at start-up. */
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  /** Postgres schema to use (tests isolate themselves with one schema per suite). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
    .optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional(),
  /** Prefix of BullMQ queue keys, so several hubs can share one Redis. */
  REDIS_PREFIX: z.string().min(1).default('referloop'),
  REFERLOOP_DATA_DIR: z.string().min(1).default('.referloop'),
  REFERLOOP_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ALLOW_PRIVATE_WEBHOOK_URLS: booleanFromEnv,
  /** Largest JSON body the API accepts. */
  BODY_LIMIT: z.string().default('1mb'),
});

export type Config = z.infer<typeof configSchema> & { publicUrl: string; dataDir: string };

/** Raised when the environment does not describe a hub that can start. */
export class ConfigError extends Error {}

/**
 * Read the configuration from an environment map. A bad value throws a ConfigError whose message
 * names the variable, so `referloop serve` can stop with a clear line instead of a stack trace.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const picked: Record<string, string | undefined> = {};
  for (const key of Object.keys(configSchema.shape)) {
    const value = env[key];
    picked[key] = value === '' ? undefined : value;
  }
  const parsed = configSchema.safeParse(picked);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const merged = { ...parsed.data, ...overrides };
  const port = merged.PORT;
  const publicUrl = (merged.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  return { ...merged, publicUrl, dataDir: path.resolve(merged.REFERLOOP_DATA_DIR) };
}
