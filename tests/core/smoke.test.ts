import { startTestHub, type TestHub } from '../support/hub';

describe('smoke', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t.close());

  it('runs the loop', async () => {
    const c = await t.api('/v1/campaigns', { body: { name: 'Friends', destination_url: 'https://shop.example.com/', reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 1000, currency: 'usd' }] } });
    expect(c.status).toBe(201);
    const p = await t.api('/v1/participants', { body: { campaign_id: c.body.id, email: 'ann@example.com', first_name: 'Ann' } });
    expect(p.status).toBe(201);
    const r = await fetch(p.body.referral_link, { redirect: 'manual' });
    expect(r.status).toBe(302);
    const loc = new URL(r.headers.get('location')!);
    const f = await t.api('/v1/participants', { body: { campaign_id: c.body.id, email: 'bob@example.com', click_id: loc.searchParams.get('rl_click') } });
    expect(f.body.type).toBe('referred');
    const q = await t.api('/v1/referrals/qualify', { body: { code: f.body.code } });
    expect(q.status).toBe(200);
    expect(q.body.rewards).toHaveLength(1);
    const tl = await t.api(`/v1/participants/${f.body.id}/timeline`);
    expect(tl.body.data.map((e: { kind: string }) => e.kind)).toEqual(['referral_click', 'signup', 'qualification', 'reward']);
    const o = await t.api('/openapi.json');
    expect(o.body.openapi).toBe('3.1.0');
  });
});
