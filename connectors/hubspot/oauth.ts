import { Client } from '@hubspot/api-client';
import { z } from 'zod';
import { isNetworkError, vendorMessage, VendorError } from '../retry';
import type { OAuthCredentials } from './settings';

/**
 * OAuth 2 for a HubSpot public app through the SDK's token API (`POST /oauth/v1/token`, form
 * encoded): exchange the install's authorization code, refresh the access token before it expires.
 */

// The SDK maps HubSpot's snake_case token answer onto these names.
const tokenSchema = z.object({ accessToken: z.string().min(1), refreshToken: z.string().min(1), expiresIn: z.number().positive() });
const apiExceptionSchema = z.object({ code: z.number().int(), body: z.unknown().optional() });

/**
 * A refused token request (`invalid_grant`: the app was uninstalled or the token revoked) means the
 * install is gone: reconnect. Other answers keep their status for the shared retry decision.
 */
function tokenError(err: unknown): unknown {
  const api = apiExceptionSchema.safeParse(err);
  if (api.success) {
    const message = vendorMessage(api.data.body) ?? 'the token endpoint refused the request';
    return new VendorError('hubspot', { status: api.data.code === 400 ? 401 : api.data.code, message });
  }
  return isNetworkError(err) ? new VendorError('hubspot', { networkError: true, message: err instanceof Error ? err.message : String(err) }) : err;
}

type OAuthClient = Pick<OAuthCredentials, 'client_id' | 'client_secret' | 'redirect_uri' | 'workflow_secret'>;

function toCredentials(client: OAuthClient, answer: unknown, now: Date): OAuthCredentials {
  const token = tokenSchema.parse(answer);
  return {
    client_id: client.client_id,
    client_secret: client.client_secret,
    ...(client.redirect_uri ? { redirect_uri: client.redirect_uri } : {}),
    ...(client.workflow_secret ? { workflow_secret: client.workflow_secret } : {}),
    access_token: token.accessToken,
    refresh_token: token.refreshToken,
    expires_at: new Date(now.getTime() + token.expiresIn * 1000).toISOString(),
  };
}

/** Exchange an authorization code for tokens. */
export async function exchangeCode(creds: OAuthClient & { redirect_uri: string; code: string }, host: string, now: Date): Promise<OAuthCredentials> {
  try {
    // https://developers.hubspot.com/docs/api/oauth/tokens (grant_type=authorization_code)
    const answer = await new Client({ basePath: host }).oauth.tokensApi.create('authorization_code', creds.code, creds.redirect_uri, creds.client_id, creds.client_secret);
    return toCredentials(creds, answer, now);
  } catch (err) {
    throw tokenError(err);
  }
}

/** Trade the refresh token for a new access token. */
export async function refreshTokens(creds: OAuthCredentials, host: string, now: Date): Promise<OAuthCredentials> {
  try {
    // https://developers.hubspot.com/docs/api/oauth/tokens (grant_type=refresh_token)
    const answer = await new Client({ basePath: host }).oauth.tokensApi.create('refresh_token', undefined, undefined, creds.client_id, creds.client_secret, creds.refresh_token);
    return toCredentials(creds, answer, now);
  } catch (err) {
    throw tokenError(err);
  }
}

/** True when the access token is missing or about to run out (a minute of margin). */
export function tokenExpiring(creds: OAuthCredentials, now: Date): boolean {
  return !creds.access_token || (creds.expires_at !== undefined && Date.parse(creds.expires_at) - 60_000 <= now.getTime());
}
