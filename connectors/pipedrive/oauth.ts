import { OAuth2Configuration } from 'pipedrive/v2';
import { z } from 'zod';
import { isNetworkError, vendorMessage, VendorError } from '../retry';
import type { OAuthCredentials } from './settings';

/**
 * OAuth 2 with Pipedrive through the SDK's own OAuth2Configuration: exchange an authorization
 * code, refresh an access token. The token answer names `api_domain`, the company's API host,
 * which every later call goes to.
 */

export const PIPEDRIVE_OAUTH_HOST = 'https://oauth.pipedrive.com';
// The SDK insists on a redirect URI even to refresh, where it is never sent.
const REFRESH_ONLY_REDIRECT = 'https://localhost/referloop-refresh';

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive(),
  scope: z.string().optional(),
  api_domain: z.url(),
});

const sdkErrorSchema = z.object({ error: z.string().optional(), error_description: z.string().optional(), message: z.string().optional() });

/**
 * The SDK's OAuth client hands back only the error body (no status, no headers). A body naming an
 * OAuth error (invalid_grant, invalid_client…) means the grant is gone: a 401, reconnect. Anything
 * else we cannot read is taken as the server failing (retry later).
 */
function oauthError(err: unknown): unknown {
  if (isNetworkError(err)) return err;
  const body = sdkErrorSchema.safeParse(err);
  const message = vendorMessage(err) ?? 'the token endpoint refused the request';
  if (body.success && body.data.error) return new VendorError('pipedrive', { status: 401, message });
  return new VendorError('pipedrive', { status: 502, message });
}

function oauthClient(creds: Pick<OAuthCredentials, 'client_id' | 'client_secret' | 'redirect_uri'>, host: string): OAuth2Configuration {
  return new OAuth2Configuration({ clientId: creds.client_id, clientSecret: creds.client_secret, redirectUri: creds.redirect_uri ?? REFRESH_ONLY_REDIRECT, host });
}

function toCredentials(client: Pick<OAuthCredentials, 'client_id' | 'client_secret' | 'redirect_uri' | 'webhook_auth'>, token: z.infer<typeof tokenResponseSchema>, now: Date): OAuthCredentials {
  return {
    client_id: client.client_id,
    client_secret: client.client_secret,
    ...(client.redirect_uri ? { redirect_uri: client.redirect_uri } : {}),
    ...(client.webhook_auth ? { webhook_auth: client.webhook_auth } : {}),
    access_token: token.access_token,
    refresh_token: token.refresh_token,
    api_domain: token.api_domain.replace(/\/+$/, ''),
    expires_at: new Date(now.getTime() + token.expires_in * 1000).toISOString(),
  };
}

/** Exchange an authorization code for tokens. */
export async function exchangeCode(creds: Pick<OAuthCredentials, 'client_id' | 'client_secret' | 'webhook_auth'> & { redirect_uri: string; code: string }, host: string, now: Date): Promise<OAuthCredentials> {
  // https://pipedrive.readme.io/docs/marketplace-oauth-authorization#step-7-getting-the-tokens (POST /oauth/token, grant_type=authorization_code)
  let answer: unknown;
  try {
    answer = await oauthClient(creds, host).authorize(creds.code);
  } catch (err) {
    throw oauthError(err);
  }
  return toCredentials(creds, tokenResponseSchema.parse(answer), now);
}

/** Trade the refresh token for a new access token (and refresh token). */
export async function refreshTokens(creds: OAuthCredentials, host: string, now: Date): Promise<OAuthCredentials> {
  const client = oauthClient(creds, host);
  client.updateToken({ access_token: creds.access_token, refresh_token: creds.refresh_token, token_type: 'Bearer', expires_in: 0, scope: '', api_domain: creds.api_domain });
  // https://pipedrive.readme.io/docs/marketplace-oauth-authorization#step-8-using-the-refresh-token (POST /oauth/token, grant_type=refresh_token)
  let answer: unknown;
  try {
    answer = await client.tokenRefresh();
  } catch (err) {
    throw oauthError(err);
  }
  return toCredentials(creds, tokenResponseSchema.parse(answer), now);
}

/** True when the access token is about to run out (a minute of margin). */
export function tokenExpiring(creds: OAuthCredentials, now: Date): boolean {
  return creds.expires_at !== undefined && Date.parse(creds.expires_at) - 60_000 <= now.getTime();
}
