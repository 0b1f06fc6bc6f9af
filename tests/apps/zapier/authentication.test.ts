import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestHub, type TestHub } from '../../support/hub';
import { appTester, authentication, connectionTo, failureOf } from './harness';

describe('Zapier connection (custom auth against a real hub)', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t.close());

  it("tests the connection with GET /v1/me and labels it with the workspace's name", async () => {
    const me = await appTester(authentication.test, { authData: connectionTo(t) });
    expect(me).toMatchObject({ id: t.workspaceId, object: 'workspace', name: 'Test workspace' });
    const label = await appTester(authentication.connectionLabel, { authData: connectionTo(t), inputData: me });
    expect(label).toBe('Test workspace');
  });

  it('forgives a trailing slash or /v1 in the Referloop URL', async () => {
    for (const base_url of [`${t.url}/`, `${t.url}/v1`, `  ${t.url}/v1/ `]) {
      const me = await appTester(authentication.test, { authData: { base_url, api_key: t.secretKey } });
      expect(me).toMatchObject({ id: t.workspaceId });
    }
  });

  it('tells the user to check the key when the hub answers 401', async () => {
    const message = await failureOf(appTester(authentication.test, { authData: connectionTo(t, 'rl_sk_not_a_real_key') }));
    expect(message).toMatch(/did not accept the API key/);
    expect(message).toMatch(/Check the secret key \(it starts with rl_sk_\)/);
  });

  it('asks for a secret key when a publishable key is used', async () => {
    const message = await failureOf(appTester(authentication.test, { authData: connectionTo(t, t.publishableKey) }));
    expect(message).toMatch(/^Publishable keys \(rl_pk_…\) only work with the tracking snippet; use a secret key \(rl_sk_…\)\.$/);
  });

  it('names the URL when nothing answers there', async () => {
    // A port that was free a moment ago: connection refused.
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const message = await failureOf(appTester(authentication.test, { authData: { base_url: `http://127.0.0.1:${port}`, api_key: t.secretKey } }));
    expect(message).toContain(`Could not reach Referloop at http://127.0.0.1:${port}`);
  });

  it('says when the URL is not a hub (an HTML 404 from some other server)', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not here</h1>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const message = await failureOf(appTester(authentication.test, { authData: { base_url: `http://127.0.0.1:${port}`, api_key: t.secretKey } }));
      expect(message).toMatch(/Referloop answered HTTP 404 .*Check the Referloop URL/);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses a Referloop URL that is not an address', async () => {
    const message = await failureOf(appTester(authentication.test, { authData: { base_url: 'referloop', api_key: t.secretKey } }));
    expect(message).toMatch(/"referloop" is not a Referloop URL/);
  });
});
