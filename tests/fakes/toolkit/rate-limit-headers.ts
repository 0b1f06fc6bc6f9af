import type { RateLimit } from './fake-vendor';

/**
 * Rate-limit header sets as the vendors send them, for `fake.rateLimit({ headers })`.
 */

/** Pipedrive: x-ratelimit-limit/remaining/reset (seconds until the window resets). */
// https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting
export const pipedriveRateHeaders: NonNullable<RateLimit['headers']> = ({ limit, remaining, resetMs }) => ({
  'x-ratelimit-limit': String(limit),
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': String(Math.ceil(resetMs / 1000)),
});

/** HubSpot: X-HubSpot-RateLimit-* (interval in ms, remaining in the interval). */
// https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details#rate-limits
export function hubspotRateHeaders(intervalMs: number): NonNullable<RateLimit['headers']> {
  return ({ limit, remaining }) => ({
    'x-hubspot-ratelimit-interval-milliseconds': String(intervalMs),
    'x-hubspot-ratelimit-max': String(limit),
    'x-hubspot-ratelimit-remaining': String(remaining),
  });
}
