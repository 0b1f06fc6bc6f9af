/** The public surface of @referloop/core. */
export { createHub, type Hub, type HubOptions } from './hub';
export { loadConfig, ConfigError, type Config } from './config';
export { ApiError, type ProblemDetails } from './lib/errors';
export type { EventEnvelope, EventType } from './events/types';
export { eventTypes } from './events/types';
export { verifyWebhookSignature } from './webhooks/signature';
export { startBackground, type Background, type BackgroundOptions } from './jobs/background';
