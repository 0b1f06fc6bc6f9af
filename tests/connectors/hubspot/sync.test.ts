import { syncThroughConnector } from '../../../bench/hubspot-sync-loop';
import { startFakeHubSpot } from '../../fakes/hubspot';
import { startHubSpotEnv, waitFor, type HubSpotEnv } from './support';

jest.setTimeout(120_000);

let env: HubSpotEnv;
beforeAll(async () => {
  env = await startHubSpotEnv();
});
afterAll(async () => {
  await env?.close();
});

const N = 10_000;
const storm = (intervalMs: number) => ({
  status: 429,
  headers: { 'x-hubspot-ratelimit-interval-milliseconds': String(intervalMs), 'x-hubspot-ratelimit-max': '190', 'x-hubspot-ratelimit-remaining': '0' },
  body: { status: 'error', message: 'You have reached your ten_secondly_rolling limit.', errorType: 'RATE_LIMIT', correlationId: 'c0ffee', policyName: 'TEN_SECONDLY_ROLLING' },
});

describe('HubSpot contact sync', () => {
  it(`reads ${N} contacts and writes their links with at most ${N / 100} list calls and ${N / 100} update calls, through a 429 storm`, async () => {
    const hs = await startFakeHubSpot();
    try {
      hs.store.seedContacts(N, (i) => ({ email: `contact-${i}@example.com`, firstname: `C${i}` }));
      // HubSpot refuses a run of list and update calls (TEN_SECONDLY_ROLLING), part-way through.
      hs.fail('GET /crm/v3/objects/contacts', storm(150), 4, 30);
      hs.fail('POST /crm/v3/objects/contacts/batch/update', storm(150), 3, 50);
      const { contacts, retries } = await syncThroughConnector(hs.url, hs.token);
      expect(contacts).toBe(N);
      expect(retries).toBe(7);
      // Every call HubSpot answered, plus only the refused ones again: nothing else.
      expect(hs.requestsTo('GET /crm/v3/objects/contacts')).toHaveLength(N / 100 + 4);
      expect(hs.requestsTo('POST /crm/v3/objects/contacts/batch/update')).toHaveLength(N / 100 + 3);
      expect([...hs.store.contacts.values()].every((c) => c.properties.referral_link === `https://ref.example/r/C${c.id}`)).toBe(true);
    } finally {
      await hs.close();
    }
  });

  it('imports contacts as participants through the hub and writes their links back, 100 a call, through a 429 storm', async () => {
    const n = 600;
    const s = await env.scenario();
    expect((await s.connect()).status).toBe(200);
    s.hs.store.seedContacts(n, (i) => ({ email: `contact-${i}@example.com`, firstname: `C${i}` }));
    s.hs.clearRequests();
    s.hs.fail('GET /crm/v3/objects/contacts', storm(150), 2, 2);
    s.hs.fail('POST /crm/v3/objects/contacts/batch/update', storm(150), 2, 3);
    const started = await s.api('/v1/integrations/hubspot/sync', { body: { mode: 'once' } });
    expect(started.status).toBe(202);
    const done = await waitFor(
      async () => {
        const run = await s.api(`/v1/integrations/hubspot/syncs/${started.body.id}`);
        return run.body.state === 'completed' || run.body.state === 'failed' ? run.body : null;
      },
      'sync finished',
      100_000,
    );
    expect(done.failures).toEqual([]);
    expect(done).toMatchObject({ state: 'completed', processed: n, created: n, failed: 0, links_written: n });
    expect(s.hs.requestsTo('GET /crm/v3/objects/contacts')).toHaveLength(n / 100 + 2);
    expect(s.hs.requestsTo('POST /crm/v3/objects/contacts/batch/update')).toHaveLength(n / 100 + 2);
    const sample = [...s.hs.store.contacts.values()][123];
    const participant = await s.api(`/v1/participants?campaign_id=${s.campaignId}&email=${encodeURIComponent(sample.properties.email)}`);
    expect(participant.body.data[0]).toMatchObject({ type: 'imported' });
    expect(sample.properties).toMatchObject({ referral_code: participant.body.data[0].code, referral_link: participant.body.data[0].referral_link });
  });

  it('syncs the members of a HubSpot list only', async () => {
    const s = await env.scenario();
    await s.connect();
    const ids = s.hs.store.seedContacts(30, (i) => ({ email: `member-${i}@example.com` }));
    s.hs.store.seedContacts(10, (i) => ({ email: `outsider-${i}@example.com` }));
    s.hs.store.lists.set('42', ids.slice(0, 25));
    const started = await s.api('/v1/integrations/hubspot/sync', { body: { filter: { list_id: '42' } } });
    expect(started.status).toBe(202);
    const done = await waitFor(async () => {
      const run = await s.api(`/v1/integrations/hubspot/syncs/${started.body.id}`);
      return run.body.state === 'completed' ? run.body : null;
    }, 'list sync');
    expect(done).toMatchObject({ processed: 25, created: 25, links_written: 25 });
    const bad = await s.api('/v1/integrations/hubspot/sync', { body: { filter: { list_id: 'abc' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('filter.list_id');
  });
});
