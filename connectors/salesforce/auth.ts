import { createSign } from 'node:crypto';
import { z } from 'zod';
import type { Connection } from 'jsforce';
import type { ConnectorContext } from '../contract';
import type { JwtCredentials, PasswordCredentials, SalesforceCredentials, SalesforceSettings, TokenCredentials } from './settings';

/**
 * Getting an access token for each way of connecting. The web-server flow's tokens are refreshed
 * by jsforce itself (refresh token + client id); an authorization code is exchanged once; the JWT
 * bearer flow signs a fresh assertion whenever a token is needed; the legacy password login logs in.
 * Whatever comes back is saved through the context, so the next call starts from it.
 */

export type SalesforceContext = ConnectorContext<SalesforceCredentials, SalesforceSettings>;

export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const trimSlash = (value: string) => value.replace(/\/+$/, '');

/** Where OAuth requests go: `api_base_url` (a sandbox host, a local fake), else the credentials' login URL. */
export function loginUrlOf(ctx: SalesforceContext): string {
  const creds = ctx.credentials;
  return trimSlash(ctx.apiBaseUrl ?? creds.login_url ?? DEFAULT_LOGIN_URL);
}

/** What every token answer carries (https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_web_server_flow.htm). */
export const tokenAnswerSchema = z.object({ access_token: z.string().min(1), instance_url: z.url(), refresh_token: z.string().optional(), id: z.string().optional() });

/**
 * A JWT bearer assertion for a connected app: RS256 over `{iss: client_id, sub: username, aud:
 * login URL, exp}`, valid three minutes. https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_jwt_flow.htm
 */
export function jwtAssertion(creds: JwtCredentials, audience: string, now: Date): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', typ: 'JWT' });
  const claims = encode({ iss: creds.client_id, sub: creds.username, aud: audience, exp: Math.floor(now.getTime() / 1000) + 180 });
  const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(creds.private_key).toString('base64url');
  return `${header}.${claims}.${signature}`;
}

/** Ask for a token with a signed assertion (first connect and every expiry: there is no refresh token). */
export async function requestJwtToken(conn: Connection, creds: JwtCredentials, audience: string, now: Date): Promise<z.infer<typeof tokenAnswerSchema>> {
  // POST {login}/services/oauth2/token grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=…
  return tokenAnswerSchema.parse(await conn.oauth2.requestToken({ grant_type: JWT_BEARER_GRANT, assertion: jwtAssertion(creds, audience, now) }));
}

/** The legacy login: OAuth username-password flow with a client, else the SOAP login() jsforce falls back to. */
export async function passwordLogin(conn: Connection, creds: PasswordCredentials): Promise<void> {
  // https://help.salesforce.com/s/articleView?id=xcloud.remoteaccess_oauth_username_password_flow.htm
  await conn.login(creds.username, `${creds.password}${creds.security_token}`);
}

/** Tokens after an authorization-code exchange, as they are stored from then on. */
export function tokensFromCode(
  creds: { client_id: string; client_secret: string; login_url?: string },
  answer: { accessToken: string; instanceUrl: string; refreshToken: string | null },
): TokenCredentials {
  return {
    instance_url: answer.instanceUrl,
    access_token: answer.accessToken,
    ...(answer.refreshToken ? { refresh_token: answer.refreshToken } : {}),
    client_id: creds.client_id,
    client_secret: creds.client_secret,
    ...(creds.login_url ? { login_url: creds.login_url } : {}),
  };
}
