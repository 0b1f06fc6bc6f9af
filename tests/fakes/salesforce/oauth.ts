import { createVerify, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { FakeReply, RouteTable } from '../toolkit';
import type { SalesforceOrg } from './state';

/**
 * The fake org's OAuth server (`/services/oauth2/token`, `/services/oauth2/userinfo`): the
 * web-server flow's code exchange and refresh, the JWT bearer flow (RS256 checked against the
 * connected app's certificate key, `aud` = the login URL, `exp` in the future) and the legacy
 * username-password flow. Errors answer as Salesforce does: 400 `{error, error_description}`.
 */

export interface ConnectedApp {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** PEM public key of the certificate uploaded for the JWT bearer flow */
  publicKey?: string;
}

export interface OAuthState {
  apps: ConnectedApp[];
  /** authorization codes issued by the consent screen, once each */
  codes: Map<string, string>;
  accessTokens: Set<string>;
  refreshTokens: Map<string, string>;
  /** user passwords (with the security token appended, as the legacy login sends them) */
  passwords: Map<string, string>;
  /** every grant type asked for, in order */
  grants: string[];
}

export function newOAuthState(): OAuthState {
  return { apps: [], codes: new Map(), accessTokens: new Set(), refreshTokens: new Map(), passwords: new Map(), grants: [] };
}

export const token = (kind: string) => `00D5g00000FAKE!${kind}.${randomBytes(24).toString('base64url')}`;

const refused = (error: string, description: string): FakeReply => ({ status: 400, body: { error, error_description: description } });

const jwtClaimsSchema = z.object({ iss: z.string(), sub: z.string(), aud: z.string(), exp: z.number() });

export function oauthRoutes(org: SalesforceOrg, auth: OAuthState, baseUrl: () => string): RouteTable {
  const issue = (withRefresh: string | null): FakeReply => {
    const access = token('access');
    auth.accessTokens.add(access);
    const refresh = withRefresh ? token('refresh') : null;
    if (refresh && withRefresh) auth.refreshTokens.set(refresh, withRefresh);
    return {
      body: {
        access_token: access,
        ...(refresh ? { refresh_token: refresh } : {}),
        instance_url: baseUrl(),
        id: `${baseUrl()}/id/${org.orgId}/${org.userId}`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
        signature: randomBytes(32).toString('base64'),
        scope: 'api refresh_token',
      },
    };
  };

  return {
    'POST /services/oauth2/token': (req) => {
      const p = z.record(z.string(), z.string()).parse(req.body ?? {});
      auth.grants.push(p.grant_type ?? '');
      const app = auth.apps.find((a) => a.clientId === p.client_id);
      switch (p.grant_type) {
        case 'authorization_code': {
          if (!app || app.clientSecret !== p.client_secret) return refused('invalid_client', 'invalid client credentials');
          if (p.redirect_uri !== app.redirectUri) return refused('redirect_uri_mismatch', 'redirect_uri must match configuration');
          if (auth.codes.get(p.code ?? '') !== app.clientId) return refused('invalid_grant', 'invalid authorization code');
          auth.codes.delete(p.code ?? '');
          return issue(app.clientId);
        }
        case 'refresh_token': {
          if (!app || (p.client_secret !== undefined && app.clientSecret !== p.client_secret)) return refused('invalid_client', 'invalid client credentials');
          if (auth.refreshTokens.get(p.refresh_token ?? '') !== app.clientId) return refused('invalid_grant', 'expired access/refresh token');
          return issue(null);
        }
        case 'urn:ietf:params:oauth:grant-type:jwt-bearer': {
          const [header, claims, signature] = (p.assertion ?? '').split('.');
          const parsed = jwtClaimsSchema.safeParse(claims ? JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) : null);
          if (!parsed.success || !signature) return refused('invalid_grant', 'invalid assertion');
          const jwtApp = auth.apps.find((a) => a.clientId === parsed.data.iss);
          if (!jwtApp?.publicKey) return refused('invalid_client_id', 'client identifier invalid');
          const valid = createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(jwtApp.publicKey, Buffer.from(signature, 'base64url'));
          if (!valid) return refused('invalid_grant', 'invalid assertion signature');
          if (parsed.data.aud !== baseUrl()) return refused('invalid_grant', 'audience is invalid');
          if (parsed.data.exp * 1000 < Date.now()) return refused('invalid_grant', 'expired assertion');
          if (parsed.data.sub !== org.username) return refused('invalid_grant', 'user hasn\'t approved this consumer');
          return issue(null);
        }
        case 'password': {
          if (!app || app.clientSecret !== p.client_secret) return refused('invalid_client', 'invalid client credentials');
          if (auth.passwords.get(p.username ?? '') !== p.password) return refused('invalid_grant', 'authentication failure');
          return issue(null);
        }
        default:
          return refused('unsupported_grant_type', 'grant type not supported');
      }
    },
    'GET /services/oauth2/userinfo': (req) => {
      if (!auth.accessTokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) return { status: 403, body: 'Bad_OAuth_Token', headers: { 'content-type': 'text/plain' } };
      return {
        body: {
          sub: `${baseUrl()}/id/${org.orgId}/${org.userId}`,
          user_id: org.userId,
          organization_id: org.orgId,
          preferred_username: org.username,
          name: 'Ada Admin',
          email: org.username,
        },
      };
    },
  };
}
