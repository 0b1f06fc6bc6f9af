import { tinyTiming } from './support/tiny-connector';
import { startIntegrationEnv, VENDOR, waitFor, type IntegrationEnv, type Scenario } from './support/setup';

describe('pushing new participants to a connected vendor', () => {
  let env: IntegrationEnv;
  let s: Scenario;
  beforeAll(async () => {
    env = await startIntegrationEnv();
  });
  beforeEach(async () => {
    s = await env.scenario();
  });
  afterEach(() => {
    tinyTiming.timeoutMs = 2_000;
  });
  afterAll(async () => env.close());

  const pushedId = async (participantId: string) =>
    waitFor(async () => {
      const p = await s.api(`/v1/participants/${participantId}`);
      return p.body.crm?.[VENDOR]?.ids?.contact as string | undefined;
    }, 'the vendor id on the participant');

  it('sends a referred sign-up to the vendor, keeps the vendor id on the participant, and adds a timeline entry', async () => {
    await s.connect();
    const { referrer, friend } = await s.referral('fred@example.com');
    const contactId = await pushedId(friend.id);
    expect(s.crm.contacts.get(contactId)).toMatchObject({ email: 'fred@example.com', first_name: 'Fred', referral_code: friend.code, referral_link: friend.referral_link });
    const participant = await s.api(`/v1/participants/${friend.id}`);
    expect(participant.body.crm[VENDOR]).toMatchObject({ ids: { contact: contactId }, origin: 'push' });
    const timeline = await s.api(`/v1/participants/${friend.id}/timeline`);
    expect(timeline.body.data).toContainEqual(expect.objectContaining({ kind: 'crm', source: VENDOR, data: { action: 'created', ids: { contact: contactId } } }));
    // Default push_types is ['referred']: the referrer (direct) was not sent.
    expect((await s.api(`/v1/participants/${referrer.id}`)).body.crm).toEqual({});
    expect([...s.crm.contacts.values()].map((c) => c.email)).toEqual(['fred@example.com']);
  });

  it('pushes the participant types the settings name, per campaign', async () => {
    await s.connect({ push_types: ['referred'], campaigns: { [s.campaignId]: { push_types: ['direct'] } } });
    const { referrer, friend } = await s.referral();
    await pushedId(referrer.id);
    await new Promise((r) => setTimeout(r, 300));
    expect((await s.api(`/v1/participants/${friend.id}`)).body.crm).toEqual({});
  });

  it('is idempotent: a push whose answer was lost finds the record it made instead of making a second', async () => {
    await s.connect();
    // The vendor creates the contact but answers after our timeout: the job fails and is retried.
    tinyTiming.timeoutMs = 500;
    s.crm.fake.fail('POST /api/contacts', { answerAfterMs: 1500 });
    const { friend } = await s.referral('lost-answer@example.com');
    const contactId = await pushedId(friend.id);
    expect(s.crm.fake.requestsTo('POST /api/contacts')).toHaveLength(1);
    expect(s.crm.fake.requestsTo('GET /api/contacts/search').length).toBeGreaterThanOrEqual(2);
    expect([...s.crm.contacts.values()].filter((c) => c.email === 'lost-answer@example.com').map((c) => c.id)).toEqual([contactId]);
    const timeline = await s.api(`/v1/participants/${friend.id}/timeline`);
    expect(timeline.body.data.filter((e: { kind: string }) => e.kind === 'crm')).toHaveLength(1);
  });

  it('honours a 429 Retry-After before trying again', async () => {
    await s.connect();
    s.crm.fake.fail('GET /api/contacts/search', { status: 429, headers: { 'retry-after': '1' } });
    const { friend } = await s.referral();
    await pushedId(friend.id);
    const [limited, next] = s.crm.fake.requestsTo('GET /api/contacts/search');
    expect(next.at - limited.at).toBeGreaterThanOrEqual(1000);
  });

  it('marks the integration needs_reconnect on a 401 and stops calling the vendor', async () => {
    await s.connect();
    s.crm.token = 'tiny_rotated_token_0000';
    const { friend } = await s.referral();
    const integration = await waitFor(async () => {
      const res = await s.api(`/v1/integrations/${VENDOR}`);
      return res.body.status === 'needs_reconnect' ? res.body : null;
    }, 'needs_reconnect');
    expect(integration.last_error).toMatch(/refused the credentials .*HTTP 401: invalid or revoked API token.*reconnect/);
    await new Promise((r) => setTimeout(r, 500));
    // No retries after a 401; no pushes while it needs reconnecting.
    expect(s.crm.fake.requestsTo('GET /api/contacts/search')).toHaveLength(1);
    await s.referral();
    await new Promise((r) => setTimeout(r, 500));
    expect(s.crm.fake.requestsTo('GET /api/contacts/search')).toHaveLength(1);
    expect((await s.api(`/v1/participants/${friend.id}`)).body.crm).toEqual({});
    // Reconnecting with the new token brings it back.
    const back = await s.api(`/v1/integrations/${VENDOR}`, { method: 'PUT', body: { credentials: { api_token: s.crm.token } } });
    expect(back.body).toMatchObject({ status: 'connected', last_error: null });
  });

  it('fails a push the vendor rejects (4xx) at once, keeping the vendor message as last_error', async () => {
    await s.connect();
    s.crm.fake.fail('POST /api/contacts', { status: 422, body: { message: 'email domain is blocked' } });
    await s.referral();
    const integration = await waitFor(async () => {
      const res = await s.api(`/v1/integrations/${VENDOR}`);
      return res.body.last_error ? res.body : null;
    }, 'last_error');
    expect(integration).toMatchObject({ status: 'connected', last_error: 'HTTP 422: email domain is blocked' });
    await new Promise((r) => setTimeout(r, 300));
    expect(s.crm.fake.requestsTo('POST /api/contacts')).toHaveLength(1);
  });
});
