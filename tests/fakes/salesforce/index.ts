import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { startFakeVendor, type FakeVendor } from '../toolkit';
import { mountCometd, type CometdEndpoint } from './cometd';
import { newOAuthState, oauthRoutes, token, type ConnectedApp, type OAuthState } from './oauth';
import { restRoutes } from './routes';
import { SalesforceOrg } from './state';

/**
 * A local Salesforce org for the connector tests: the REST API and OAuth server as route tables
 * on the vendor-fake toolkit (recorded requests, scripted faults), and the Streaming API's CometD
 * endpoint on the same server, so jsforce — pointed at it by `instance_url` and `api_base_url` —
 * talks to it exactly as to Salesforce.
 */
export interface SalesforceFake {
  url: string;
  http: FakeVendor;
  org: SalesforceOrg;
  auth: OAuthState;
  cometd: CometdEndpoint;
  /** the connected app: client id and secret, redirect URI, and the JWT key pair */
  app: ConnectedApp & { privateKey: string };
  /** a valid access token and refresh token of the web-server flow, as `credentials` */
  tokenCredentials(): { instance_url: string; access_token: string; refresh_token: string; client_id: string; client_secret: string };
  /** an authorization code the consent screen would hand back */
  authorizationCode(): string;
  /** forget every access token (sessions expire); refresh tokens stay valid */
  expireSessions(): void;
  close(): Promise<void>;
}

export async function startSalesforceFake(options: { customFields?: ConstructorParameters<typeof SalesforceOrg>[0] } = {}): Promise<SalesforceFake> {
  const org = new SalesforceOrg(options.customFields);
  const auth = newOAuthState();
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const app = {
    clientId: `3MVG9fake${randomBytes(8).toString('hex')}`,
    clientSecret: randomBytes(16).toString('hex'),
    redirectUri: 'https://hub.example.com/oauth/salesforce/callback',
    publicKey: keys.publicKey,
    privateKey: keys.privateKey,
  };
  auth.apps.push(app);
  auth.passwords.set(org.username, `s3cret-pass${'TOKEN123'}`);
  let url = '';
  const http = await startFakeVendor({ name: 'salesforce', routes: { ...oauthRoutes(org, auth, () => url), ...restRoutes(org, auth) } });
  url = http.url;
  const cometd = mountCometd(http.server, org, auth);
  return {
    url,
    http,
    org,
    auth,
    cometd,
    app,
    tokenCredentials() {
      const access = token('access');
      const refresh = token('refresh');
      auth.accessTokens.add(access);
      auth.refreshTokens.set(refresh, app.clientId);
      return { instance_url: url, access_token: access, refresh_token: refresh, client_id: app.clientId, client_secret: app.clientSecret };
    },
    authorizationCode() {
      const code = `aPrx${randomBytes(12).toString('hex')}`;
      auth.codes.set(code, app.clientId);
      return code;
    },
    expireSessions() {
      auth.accessTokens.clear();
    },
    async close() {
      cometd.close();
      await http.close();
    },
  };
}
