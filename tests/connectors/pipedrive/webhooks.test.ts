import { hooksFor, post, v1DealUpdate, v2Data, v2Payload } from '../../fakes/pipedrive';
import { basicAuthHeader } from '../../fakes/toolkit';
import { addParticipant } from '../../support/fixtures';
import { connectPipedrive, eventsSettled, participant, pushedIds, referralStatus, startWorld, vendorEvents, HOOK_TIMEOUT_MS, type PipedriveWorld } from './support';

describe('Pipedrive webhooks: basic auth, replays, out-of-order deliveries, lost deals, v1 payloads, disconnect', () => {
  let w: PipedriveWorld;
  let referrer: any;
  let seen = 0;

  /** A referred friend pushed as a deal: the participant and its deal id. */
  async function referredDeal(name: string) {
    const friend = await addParticipant(w.t, { campaign_id: w.campaign.id, email: `${name}@example.com`, first_name: name, referrer_code: referrer.code });
    const ids = await pushedIds(w.t, friend.id, 'deal');
    return { friend, dealId: Number(ids.deal) };
  }
  const dealHook = () => hooksFor(w.pd.state, 'change', 'deal', '2.0')[0];
  /** A v2 delivery for the deal as it is now in the fake, with `previous` as given. */
  const dealChange = (dealId: number, previous: Record<string, unknown>, opts: { id?: string; timestamp?: string } = {}) =>
    v2Payload(w.pd.state, dealHook(), 'deal', 'change', v2Data('deal', w.pd.state.deals.get(dealId)!), previous, opts);
  async function rewardsOf(referralId: string) {
    const res = await w.t.api('/v1/rewards?limit=100');
    return res.body.data.filter((r: any) => r.referral_id === referralId);
  }

  beforeAll(async () => {
    w = await startWorld();
    const res = await connectPipedrive(w, { pipeline_id: 2, qualified_stage_id: 13, unqualify_on_lost: true, create_fields: true });
    expect(res.status).toBe(200);
    referrer = await addParticipant(w.t, { campaign_id: w.campaign.id, email: 'rita@example.com', first_name: 'Rita' });
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await w.close();
  }, HOOK_TIMEOUT_MS);

  it('answers 401 to deliveries without our basic-auth credentials and changes nothing', async () => {
    const { friend, dealId } = await referredDeal('nora');
    w.pd.state.deals.get(dealId)!.stage_id = 13;
    const payload = dealChange(dealId, { stage_id: 11 });
    const hook = dealHook();
    const wrong = await post(hook, payload, basicAuthHeader(hook.http_auth_user!, 'not-the-password-we-registered'));
    const none = await post(hook, payload, {});
    const otherUser = await post(hook, payload, basicAuthHeader('someone-else', hook.http_auth_password!));
    for (const d of [wrong, none, otherUser]) {
      expect(d.status).toBe(401);
      expect(d.response).toMatchObject({ status: 401, code: 'unauthorized' });
    }
    // Authenticated but not a Pipedrive payload: 400, nothing stored either.
    for (const body of ['not json', JSON.stringify({ hello: 'world' })]) {
      const odd = await post(hook, body);
      expect(odd).toMatchObject({ status: 400, response: { status: 400, code: 'validation_failed' } });
    }
    expect(await vendorEvents(w.t)).toEqual([]);
    expect((await participant(w.t, friend.id)).referral_status).toBe('pending');
  });

  it('applies a replayed delivery once: one qualification, one reward', async () => {
    const { friend, dealId } = await referredDeal('rosa');
    const [first] = await w.pd.moveDeal(dealId, 13);
    // The qualify signal and the deal's stage, each stored once.
    expect(first).toMatchObject({ status: 200, response: { received: 2, stored: 2, duplicates: 0 } });
    await referralStatus(w.t, friend.id, 'qualified');
    const replay = await post(dealHook(), first.body);
    expect(replay).toMatchObject({ status: 200, response: { received: 2, stored: 0, duplicates: 2 } });
    seen += 1;
    await eventsSettled(w.t, seen);
    expect(await rewardsOf(friend.id)).toHaveLength(1);
    const history = await w.t.hub.db.query('SELECT to_status FROM qualifications WHERE participant_id = $1', [friend.id]);
    expect(history).toEqual([{ to_status: 'qualified' }]);
  });

  it('lets an older delivery that arrives late change nothing, and unqualifies on a newer lost', async () => {
    const { friend, dealId } = await referredDeal('olga');
    const t0 = new Date(Date.now() - 60_000).toISOString();
    const [qualify] = await w.pd.moveDeal(dealId, 13);
    expect(qualify.status).toBe(200);
    await referralStatus(w.t, friend.id, 'qualified');
    seen += 1;

    // A "lost" from a minute before the qualification arrives now: superseded, the referral stays qualified.
    w.pd.state.deals.get(dealId)!.status = 'lost';
    const stale = await post(dealHook(), dealChange(dealId, { status: 'open' }, { timestamp: t0 }));
    w.pd.state.deals.get(dealId)!.status = 'open';
    expect(stale).toMatchObject({ status: 200, response: { stored: 2 } });
    seen += 1;
    const events = await eventsSettled(w.t, seen);
    expect(events[events.length - 1]).toMatchObject({ status: 'superseded' });
    expect((await participant(w.t, friend.id)).referral_status).toBe('qualified');
    // Auto-approved by the campaign's rule, not yet issued.
    expect((await rewardsOf(friend.id)).map((r: any) => r.status)).toEqual(['approved']);

    // The deal really is lost now: unqualify_on_lost reverses the referral and voids the unpaid reward.
    const [lost] = await w.pd.setDealStatus(dealId, 'lost');
    expect(lost).toMatchObject({ status: 200, response: { stored: 2 } });
    seen += 1;
    await referralStatus(w.t, friend.id, 'unqualified');
    expect((await rewardsOf(friend.id)).map((r: any) => r.status)).toEqual(['declined']);
  });

  it('reads v1 payloads from a webhook made by hand with the credentials the user chose', async () => {
    const webhook_auth = { user: 'acme-hand-made', password: 'a-password-the-user-typed-in' };
    const reconnect = await w.t.api('/v1/integrations/pipedrive', { method: 'PUT', body: { credentials: { api_token: w.pd.apiToken, webhook_auth } } });
    expect(reconnect.status).toBe(200);
    // Our v2 webhooks now carry the user's credentials (old ones replaced, not duplicated).
    const ours = [...w.pd.state.webhooks.values()];
    expect(ours).toHaveLength(2);
    for (const h of ours) expect(h).toMatchObject({ http_auth_user: 'acme-hand-made', http_auth_password: webhook_auth.password });

    // The user adds a v1 webhook by hand in Pipedrive with the same credentials.
    const made = await fetch(`${w.pd.url}/api/v1/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-token': w.pd.apiToken },
      body: JSON.stringify({ subscription_url: reconnect.body.inbound_url, event_action: 'updated', event_object: 'deal', name: 'by hand', version: '1.0', http_auth_user: webhook_auth.user, http_auth_password: webhook_auth.password }),
    });
    expect(made.status).toBe(201);

    // Reconfiguring leaves the user's own webhook alone.
    expect((await w.t.api('/v1/integrations/pipedrive', { method: 'PUT', body: {} })).status).toBe(200);
    expect([...w.pd.state.webhooks.values()].filter((h) => h.name === 'by hand')).toHaveLength(1);

    const { friend, dealId } = await referredDeal('vera');
    const deal = w.pd.state.deals.get(dealId)!;
    const before = { ...deal };
    deal.stage_id = 13;
    const v1 = await w.pd.deliver('updated', 'deal', v1DealUpdate(w.pd.state, hooksFor(w.pd.state, 'updated', 'deal')[0], before, deal));
    expect(v1).toEqual([expect.objectContaining({ status: 200, response: expect.objectContaining({ stored: 2 }) })]);
    seen += 1;
    await referralStatus(w.t, friend.id, 'qualified');
  });

  it('disconnects: our webhooks are deleted at Pipedrive, the old URL is dead, the data stays on both sides', async () => {
    const before = await w.t.api('/v1/integrations/pipedrive');
    const ids = before.body.webhooks.map((h: any) => Number(h.id));
    const handMade = [...w.pd.state.webhooks.values()].filter((h) => !ids.includes(h.id));
    const { friend, dealId } = await referredDeal('dora');
    w.pd.fake.clearRequests();

    const res = await w.t.api('/v1/integrations/pipedrive', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'disconnected', webhooks: [], last_error: null });
    expect(w.pd.fake.requestsTo('DELETE /api/v1/webhooks/:id').map((r) => Number(r.path.split('/').pop())).sort()).toEqual([...ids].sort());
    // Only the webhook the user made by hand is left at Pipedrive.
    expect([...w.pd.state.webhooks.values()]).toEqual(handMade);

    // The hand-made webhook still posts to the old inbound URL: nobody listens there any more.
    const deal = w.pd.state.deals.get(dealId)!;
    const late = await post(handMade[0], v1DealUpdate(w.pd.state, handMade[0], deal, { ...deal, stage_id: 13 }));
    expect(late.status).toBe(404);
    expect(handMade[0].subscription_url).toBe(before.body.inbound_url);

    expect(w.pd.state.deals.get(dealId)).toBeDefined();
    const kept = await participant(w.t, friend.id);
    expect(kept.crm.pipedrive.ids.deal).toBe(String(dealId));
    expect(kept.referral_status).toBe('pending');
  });
});
