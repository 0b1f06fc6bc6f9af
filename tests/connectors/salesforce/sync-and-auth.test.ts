import { connectSalesforce, participant, pushedIds, queries, referral, referralSettings, startWorld, waitFor, type SalesforceWorld } from './support';

const settings = { ...referralSettings, detection: 'polling', poll_interval_seconds: 3600 };

describe('Salesforce contact sync, credentials and API limits', () => {
  let w: SalesforceWorld;
  beforeAll(async () => {
    w = await startWorld();
  });
  afterAll(async () => {
    await w.close();
  });

  it('exchanges an authorization code for tokens and keeps them (never shown)', async () => {
    const res = await connectSalesforce(w, settings, { client_id: w.sf.app.clientId, client_secret: w.sf.app.clientSecret, redirect_uri: w.sf.app.redirectUri, code: w.sf.authorizationCode() });
    expect(res.status).toBe(200);
    expect(res.body.account).toEqual({ id: w.sf.org.orgId, name: 'Acme Referrals', warning: null });
    expect(JSON.stringify(res.body)).not.toMatch(/access_token|refresh_token|client_secret/);
    expect(w.sf.auth.grants).toEqual(['authorization_code']);
  });

  it('refreshes an expired session with the refresh token and carries on', async () => {
    w.sf.expireSessions();
    const { friend } = await referral(w, 'refresh-fred@example.com');
    await pushedIds(w.t, friend.id);
    expect(w.sf.auth.grants.at(-1)).toBe('refresh_token');
    expect((await w.t.api('/v1/integrations/salesforce')).body.status).toBe('connected');
  });

  it('connects a connected app with the JWT bearer flow, asserting again when the session expires', async () => {
    const creds = { client_id: w.sf.app.clientId, username: w.sf.org.username, private_key: w.sf.app.privateKey };
    const res = await connectSalesforce(w, settings, creds);
    expect(res.status).toBe(200);
    expect(w.sf.auth.grants.at(-1)).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    w.sf.expireSessions();
    const { friend } = await referral(w, 'jwt-fred@example.com');
    await pushedIds(w.t, friend.id);
    expect(w.sf.auth.grants.filter((g) => g.endsWith('jwt-bearer'))).toHaveLength(2);
  });

  it('still takes the legacy username, password and security token, with a warning', async () => {
    const res = await connectSalesforce(w, settings, { username: w.sf.org.username, password: 's3cret-pass', security_token: 'TOKEN123', client_id: w.sf.app.clientId, client_secret: w.sf.app.clientSecret });
    expect(res.status).toBe(200);
    expect(res.body.account.warning).toContain('legacy login');
    const wrong = await connectSalesforce(w, settings, { username: w.sf.org.username, password: 'nope', client_id: w.sf.app.clientId, client_secret: w.sf.app.clientSecret });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors).toEqual([{ path: 'credentials', message: 'rejected by salesforce' }]);
  });

  it('syncs 2,000 contacts page by page, with progress, and writes their links back 200 at a time', async () => {
    expect((await connectSalesforce(w, { ...settings, sync_object: 'Contact' })).status).toBe(200);
    for (let i = 0; i < 2000; i++) w.sf.org.create('Contact', { FirstName: `C${i}`, LastName: 'Synced', Email: `contact-${i}@example.com` }, { system: true });
    w.sf.http.clearRequests();
    const started = await w.t.api('/v1/integrations/salesforce/sync', { body: { mode: 'once', campaign_id: w.campaign.id } });
    expect(started.status).toBe(202);
    const seen = new Set<number>();
    const done = await waitFor(
      'sync completed',
      async () => {
        const s = (await w.t.api(`/v1/integrations/salesforce/syncs/${started.body.id}`)).body;
        seen.add(s.processed);
        return s.state === 'completed' || s.state === 'failed' ? s : null;
      },
      120_000,
    );
    expect(done).toMatchObject({ state: 'completed', total: 2000, processed: 2000, created: 2000, failed: 0, links_written: 2000, pages: 10, cursor: null });
    // Progress was visible between the first and the last page.
    expect([...seen].some((n) => n > 0 && n < 2000)).toBe(true);
    expect(queries(w.sf).filter((q) => q.startsWith('SELECT COUNT() FROM Contact'))).toHaveLength(1);
    const writes = w.sf.http.requestsTo('PATCH /services/data/v62.0/composite/sobjects');
    expect(writes).toHaveLength(10);
    expect(writes.every((r) => (r.body as { records: unknown[] }).records.length === 200)).toBe(true);
    const someone = [...w.sf.org.records.Contact.values()].find((c) => c.Email === 'contact-1234@example.com');
    const found = await w.t.api(`/v1/participants?campaign_id=${w.campaign.id}&email=contact-1234@example.com`);
    const imported = found.body.data[0];
    expect(imported.type).toBe('imported');
    expect(someone).toMatchObject({ Referral_Link__c: imported.referral_link, Referral_Code__c: imported.code });
    expect((await participant(w.t, imported.id)).crm.salesforce.ids).toEqual({ contact: someone?.Id });
  }, 150_000);

  it('honours Sforce-Limit-Info: a spent daily allowance waits instead of asking for new credentials', async () => {
    w.sf.org.apiUsage.used = w.sf.org.apiUsage.limit;
    w.sf.http.clearRequests();
    const { friend } = await referral(w, 'limit-fred@example.com');
    const integration = await waitFor('limit recorded', async () => {
      const res = await w.t.api('/v1/integrations/salesforce');
      return res.body.last_error ? res.body : null;
    });
    expect(integration.status).toBe('connected');
    expect(integration.last_error).toContain('REQUEST_LIMIT_EXCEEDED');
    // Refused once; after that the hub knows the allowance is spent and stops asking.
    await new Promise((r) => setTimeout(r, 500));
    expect(w.sf.http.requests.filter((r) => r.path.startsWith('/services/data/'))).toHaveLength(1);
    expect(w.sf.http.requests[0].path).toBe('/services/data/v62.0/query');
    expect((await participant(w.t, friend.id)).crm?.salesforce).toBeUndefined();
  });
});
