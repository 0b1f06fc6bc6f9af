import type { AfterResponseMiddleware, BeforeRequestMiddleware } from 'zapier-platform-core';
import { toUserError } from './lib/problem';

/** Every request carries the secret key as a bearer token. */
const includeApiKey: BeforeRequestMiddleware = (request, _z, bundle) => {
  const key = bundle.authData.api_key?.trim();
  if (key) request.headers = { ...request.headers, Authorization: `Bearer ${key}` };
  return request;
};

/**
 * Turn the hub's problem+json into an error a Zap user can act on. Requests sent with
 * `skipThrowForStatus` are left to their caller (a lookup where 404 means "not found").
 */
const handleProblemResponses: AfterResponseMiddleware = (response, z) => {
  if (response.status < 400 || response.skipThrowForStatus) return response;
  throw toUserError(z, response);
};

export const befores = [includeApiKey];
export const afters = [handleProblemResponses];
