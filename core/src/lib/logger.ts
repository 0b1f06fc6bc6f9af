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
];

export type Logger = pino.Logger;

/** One logger for the process; children carry the component name. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: '[redacted]' }, base: undefined }, destination);
}
