import { dbKinds, startTestHub, type TestHub } from '../../support/hub';
import { addParticipant, createCampaign, eventsOfType } from './helpers';

describe.each(dbKinds())('conversions (%s)', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db });
  });
  afterAll(async () => t.close());

  it('records a conversion once per transaction_id and returns the first one for a repeat', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, c.id, 'ann@example.com');
    const first = await t.api('/v1/conversions', { body: { event: 'purchase', email: 'ANN@example.com', amount: 4999, currency: 'usd', transaction_id: 'order-1' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ object: 'conversion', participant_id: ann.id, campaign_id: c.id, event: 'purchase', amount: 4999, currency: 'USD', transaction_id: 'order-1', source: 'api' });
    const again = await t.api('/v1/conversions', { body: { event: 'purchase', code: ann.code, amount: 100, currency: 'USD', transaction_id: 'order-1' } });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const list = await t.api(`/v1/conversions?participant_id=${ann.id}`);
    expect(list.body.data).toHaveLength(1);
  });

  it('without a transaction_id, dedupes on the person and the event name', async () => {
    const c = await createCampaign(t);
    const bo = await addParticipant(t, c.id, 'bo@example.com');
    const a = await t.api('/v1/conversions', { body: { event: 'download', email: 'bo@example.com' } });
    const b = await t.api('/v1/conversions', { body: { event: 'Download', participant_id: bo.id } });
    const other = await t.api('/v1/conversions', { body: { event: 'signup', email: 'bo@example.com' } });
    expect([a.status, b.status, other.status]).toEqual([201, 200, 201]);
    expect(b.body.id).toBe(a.body.id);
    expect(other.body.id).not.toBe(a.body.id);
  });

  it('emits conversion.tracked with the conversion and the referrer summary', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, c.id, 'ann.ev@example.com', { first_name: 'Ann' });
    const bob = await addParticipant(t, c.id, 'bob.ev@example.com', { referrer_code: ann.code });
    const res = await t.api('/v1/conversions', { body: { event: 'purchase', code: bob.code, amount: 1200, currency: 'EUR', transaction_id: 'ev-1', metadata: { plan: 'pro' } } });
    const events = await eventsOfType(t, 'conversion.tracked');
    const event = events.find((e) => e.data.id === res.body.id);
    expect(event?.data).toMatchObject({ ...res.body, referrer: { id: ann.id, code: ann.code, email: 'ann.ev@example.com', name: 'Ann', people_referred: 1 } });
    const again = await t.api('/v1/conversions', { body: { event: 'purchase', code: bob.code, transaction_id: 'ev-1' } });
    expect(again.status).toBe(200);
    expect((await eventsOfType(t, 'conversion.tracked')).filter((e) => e.data.id === res.body.id)).toHaveLength(1);
  });

  it("qualifies a referral when the conversion meets the campaign goal, and only then", async () => {
    const c = await createCampaign(t, {
      goal: { event: 'purchase', min_amount: 2000, currency: 'USD' },
      reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 500, currency: 'USD' }],
    });
    const ann = await addParticipant(t, c.id, 'ann.goal@example.com');
    const bob = await addParticipant(t, c.id, 'bob.goal@example.com', { referrer_code: ann.code });
    const small = await t.api('/v1/conversions', { body: { event: 'purchase', email: 'bob.goal@example.com', amount: 1999, currency: 'USD', transaction_id: 'g-1' } });
    expect(small.status).toBe(201);
    const euros = await t.api('/v1/conversions', { body: { event: 'purchase', email: 'bob.goal@example.com', amount: 9999, currency: 'EUR', transaction_id: 'g-2' } });
    expect(euros.status).toBe(201);
    expect((await t.api(`/v1/participants/${bob.id}`)).body.referral_status).toBe('pending');

    const big = await t.api('/v1/conversions', { body: { event: 'purchase', email: 'bob.goal@example.com', amount: 2500, currency: 'USD', transaction_id: 'g-3' } });
    expect(big.status).toBe(201);
    const after = await t.api(`/v1/participants/${bob.id}`);
    expect(after.body.referral_status).toBe('qualified');
    const timeline = await t.api(`/v1/participants/${bob.id}/timeline`);
    const q = timeline.body.data.find((e: any) => e.kind === 'qualification');
    expect(q).toMatchObject({ source: 'conversion', data: { from: 'pending', to: 'qualified' } });
    const rewards = await t.api('/v1/rewards');
    expect(rewards.body.data.filter((r: any) => r.referral_id === bob.id)).toHaveLength(1);

    // A second qualifying purchase pays nothing more.
    await t.api('/v1/conversions', { body: { event: 'purchase', email: 'bob.goal@example.com', amount: 5000, currency: 'USD', transaction_id: 'g-4' } });
    expect((await t.api('/v1/rewards')).body.data.filter((r: any) => r.referral_id === bob.id)).toHaveLength(1);
  });

  it('rewards a referrer whose third friend downloads the app (milestone through goal conversions)', async () => {
    const c = await createCampaign(t, {
      goal: { event: 'download' },
      reward_rules: [{ trigger: 'milestone', n: 3, kind: 'custom', description: 'Free month' }],
    });
    const ann = await addParticipant(t, c.id, 'ann.m@example.com');
    for (const name of ['f1', 'f2', 'f3']) {
      await addParticipant(t, c.id, `${name}.m@example.com`, { referrer_code: ann.code });
      await t.api('/v1/conversions', { body: { event: 'download', email: `${name}.m@example.com` } });
      // Tracking the same download twice changes nothing.
      await t.api('/v1/conversions', { body: { event: 'download', email: `${name}.m@example.com` } });
    }
    const referrer = await t.api(`/v1/participants/${ann.id}`);
    expect(referrer.body.qualified_count).toBe(3);
    const rewards = (await t.api('/v1/rewards')).body.data.filter((r: any) => r.participant_id === ann.id);
    expect(rewards).toHaveLength(1);
    expect(rewards[0]).toMatchObject({ kind: 'custom', description: 'Free month', recipient: 'referrer' });
  });

  it('finds the converter by click id, and needs campaign_id for an email in several campaigns', async () => {
    const c1 = await createCampaign(t);
    const c2 = await createCampaign(t, { name: 'Second' });
    const ann = await addParticipant(t, c1.id, 'ann.click@example.com');
    const click = await fetch(ann.referral_link, { redirect: 'manual' });
    const clickId = new URL(click.headers.get('location')!).searchParams.get('rl_click')!;
    const bob = await addParticipant(t, c1.id, 'bob.click@example.com', { click_id: clickId });
    await addParticipant(t, c2.id, 'bob.click@example.com');
    const byClick = await t.api('/v1/conversions', { body: { event: 'purchase', click_id: clickId } });
    expect(byClick.status).toBe(201);
    expect(byClick.body.participant_id).toBe(bob.id);
    const ambiguous = await t.api('/v1/conversions', { body: { event: 'trial', email: 'bob.click@example.com' } });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.errors[0].path).toBe('campaign_id');
    const narrowed = await t.api('/v1/conversions', { body: { event: 'trial', email: 'bob.click@example.com', campaign_id: c2.id } });
    expect(narrowed.status).toBe(201);
    expect(narrowed.body.campaign_id).toBe(c2.id);
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await t.hub.db.query<{ n: number }>('SELECT count(*) AS n FROM conversions');
    const cases: Array<[Record<string, unknown>, string, number]> = [
      [{ email: 'x@example.com' }, 'event', 400],
      [{ event: 'purchase' }, 'email', 400],
      [{ event: 'purchase', email: 'a@example.com', code: 'ABC' }, 'email', 400],
      [{ event: 'purchase', email: 'ann@example.com', amount: 100 }, 'currency', 400],
      [{ event: 'purchase', email: 'ann@example.com', amount: 1.5, currency: 'USD' }, 'amount', 400],
      [{ event: 'purchase', email: 'nobody@example.com' }, 'email', 404],
      [{ event: 'purchase', code: 'NOPE1234' }, 'code', 404],
    ];
    for (const [body, path, status] of cases) {
      const res = await t.api('/v1/conversions', { body });
      expect([res.status, res.body.errors?.[0]?.path]).toEqual([status, path]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const after = await t.hub.db.query<{ n: number }>('SELECT count(*) AS n FROM conversions');
    expect(after[0].n).toBe(before[0].n);
  });

  it('refuses the publishable key on secret routes', async () => {
    for (const [path, body] of [
      ['/v1/conversions', { event: 'purchase', email: 'ann@example.com' }],
      ['/v1/participants', { campaign_id: 'cmp_x', email: 'x@example.com' }],
      ['/v1/referrals/qualify', { code: 'ABC' }],
      ['/v1/imports/customers?campaign_id=cmp_x', 'email\nx@example.com\n'],
    ] as const) {
      const res = await t.api(path, { body, key: t.publishableKey, headers: typeof body === 'string' ? { 'content-type': 'text/csv' } : {} });
      expect([path, res.status]).toEqual([path, 403]);
    }
    expect((await t.api('/v1/campaigns', { key: t.publishableKey })).status).toBe(403);
  });
});
