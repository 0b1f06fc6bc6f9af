import pino from 'pino';

/** Paths that may carry secrets; pino replaces them before a line is written. */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  '*.api_key',
  '*.secret',
  '*.secret_key',
  '*.access_token',
  '*.refresh_token',
  '*.api_token',
  '*.password',
  '*.client_secret',
  '*.webhook_secret',
  'credentials',
  '*.credentials',
  // Integrations: stored webhook secrets, and auth headers inside vendor SDK errors (axios keeps its request config).
  'webhookSecrets',
  '*.webhookSecrets',
  '*.webhook_secrets',
  '*.private_key',
  '*.config.headers.Authorization',
  '*.config.headers.authorization',
  '*.config.headers["x-api-token"]',
  '*.headers["x-api-token"]',
];

export type Logger = pino.Logger;

/** One logger for the process; children carry the component name. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: undefined }, destination);
}
