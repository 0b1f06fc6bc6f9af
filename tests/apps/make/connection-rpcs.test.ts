import { createCampaign } from '../../support/fixtures';
import { MakeRuntimeError } from './runtime/communication';
import { callRpc, verifyConnection } from './runtime/runner';
import { type MakeSession, startMakeSession } from './support/hub-session';

let s: MakeSession;
beforeAll(async () => {
  s = await startMakeSession();
});
afterAll(() => s.t.close());

describe('Make connection and RPCs against a live hub', () => {
  it('verifies the connection with GET /v1/me and labels it with the workspace name', async () => {
    const { metadata, log } = await verifyConnection(s.app, 'referloop', s.connection);
    expect(metadata).toEqual({ type: 'text', value: 'Test workspace' });
    expect(log[0].request.url).toBe(`${s.t.url}/v1/me`);
    // log.sanitize keeps the key out of what Make would log.
    expect(log[0].request.headers.Authorization).toBe('[sanitized]');
    expect(JSON.stringify(log)).not.toContain(s.t.secretKey);
  });

  it('refuses a wrong key with an invalid-access-token error carrying the problem detail', async () => {
    const attempt = verifyConnection(s.app, 'referloop', { ...s.connection, apiKey: 'rl_sk_not_a_real_key' });
    await expect(attempt).rejects.toBeInstanceOf(MakeRuntimeError);
    await expect(attempt).rejects.toMatchObject({ type: 'InvalidAccessTokenError', statusCode: 401, message: expect.stringMatching(/^\[401\] \S/) });
  });

  it('refuses a connection without an API key before calling the hub', async () => {
    await expect(verifyConnection(s.app, 'referloop', { hubUrl: s.t.url })).rejects.toThrow(/apiKey/);
  });

  it('lists the campaigns for dropdowns, as label and value', async () => {
    const a = await createCampaign(s.t, { name: 'Spring friends' });
    const b = await createCampaign(s.t, { name: 'Partners' });
    const options = await callRpc(s.app, 'listCampaigns', s.connection);
    expect(options).toEqual(expect.arrayContaining([{ label: 'Spring friends', value: a.id }, { label: 'Partners', value: b.id }]));
    expect(options).toHaveLength(2);
  });

  it('lists the event types a webhook can subscribe to', async () => {
    const options = await callRpc(s.app, 'listEventTypes', s.connection);
    expect(options).toHaveLength(10);
    expect(options).toContainEqual({ label: 'Referral qualified', value: 'referral.qualified' });
    expect(options).toContainEqual({ label: 'Reward issued', value: 'reward.issued' });
  });

  it('does not list event types for a connection the hub refuses', async () => {
    await expect(callRpc(s.app, 'listEventTypes', { ...s.connection, apiKey: 'rl_sk_wrong' })).rejects.toMatchObject({ type: 'InvalidAccessTokenError' });
  });
});
