import { dbKinds, startTestHub, type TestHub } from '../support/hub';
import { addParticipant, clickLink, createCampaign } from '../support/fixtures';

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36';

interface Day {
  day: string;
  referred: number;
  qualified: number;
  clicks: number;
}

describe.each(dbKinds())('per-day campaign figures on %s', (db) => {
  let t: TestHub;
  let clock = new Date();
  beforeAll(async () => {
    t = await startTestHub({ db, now: () => clock });
  });
  afterAll(async () => t.close());
  beforeEach(() => {
    clock = new Date();
  });

  const daily = async (campaignId: string, query = '', key?: string) => t.api(`/v1/campaigns/${campaignId}/stats/daily${query}`, { key });
  /** The entries that are not all zeros, by day. */
  const active = (data: Day[]) => Object.fromEntries(data.filter((d) => d.referred || d.qualified || d.clicks).map((d) => [d.day, { referred: d.referred, qualified: d.qualified, clicks: d.clicks }]));
  const qualify = (id: string) => t.api('/v1/referrals/qualify', { body: { participant_id: id } });
  const unqualify = (id: string) => t.api('/v1/referrals/unqualify', { body: { participant_id: id } });

  it('answers one zero entry per UTC day, oldest first, ending today by the hub clock', async () => {
    const c = await createCampaign(t);
    clock = new Date('2031-03-10T23:59:59.999Z');
    const week = await daily(c.id, '?days=7');
    expect(week.status).toBe(200);
    expect(week.body.from).toBe('2031-03-04');
    expect(week.body.to).toBe('2031-03-10');
    expect(week.body.data).toEqual(
      ['04', '05', '06', '07', '08', '09', '10'].map((d) => ({ day: `2031-03-${d}`, referred: 0, qualified: 0, clicks: 0 })),
    );

    // 30 days by default, across a month end and a leap day.
    clock = new Date('2032-03-01T00:00:00.000Z');
    const month = await daily(c.id);
    expect(month.body.data).toHaveLength(30);
    expect(month.body.data[0].day).toBe('2032-02-01');
    expect(month.body.data.slice(-2).map((d: Day) => d.day)).toEqual(['2032-02-29', '2032-03-01']);
    expect((await daily(c.id, '?days=366')).body.data).toHaveLength(366);
  });

  it('counts referred sign-ups on the UTC day they were created, leaving direct sign-ups out', async () => {
    const c = await createCampaign(t);
    clock = new Date('2031-05-01T09:00:00.000Z');
    const rita = await addParticipant(t, { campaign_id: c.id, email: 'rita@daily.example.com' });
    await addParticipant(t, { campaign_id: c.id, email: 'ann@daily.example.com', referrer_code: rita.code });
    clock = new Date('2031-05-02T23:59:59.999Z');
    await addParticipant(t, { campaign_id: c.id, email: 'bob@daily.example.com', referrer_code: rita.code });
    await addParticipant(t, { campaign_id: c.id, email: 'direct@daily.example.com' });
    clock = new Date('2031-05-03T00:00:00.000Z');
    await addParticipant(t, { campaign_id: c.id, email: 'cat@daily.example.com', referrer_code: rita.code });
    await addParticipant(t, { campaign_id: c.id, email: 'dan@daily.example.com', referrer_code: rita.code });

    clock = new Date('2031-05-06T12:00:00.000Z');
    const res = await daily(c.id, '?days=7');
    expect(res.body.data).toHaveLength(7);
    expect(active(res.body.data)).toEqual({
      '2031-05-01': { referred: 1, qualified: 0, clicks: 0 },
      '2031-05-02': { referred: 1, qualified: 0, clicks: 0 },
      '2031-05-03': { referred: 2, qualified: 0, clicks: 0 },
    });
    // A shorter range leaves the earlier days out; `to` picks another last day.
    expect(active((await daily(c.id, '?days=4')).body.data)).toEqual({ '2031-05-03': { referred: 2, qualified: 0, clicks: 0 } });
    const earlier = await daily(c.id, '?days=2&to=2031-05-02');
    expect(earlier.body).toEqual({
      from: '2031-05-01',
      to: '2031-05-02',
      data: [
        { day: '2031-05-01', referred: 1, qualified: 0, clicks: 0 },
        { day: '2031-05-02', referred: 1, qualified: 0, clicks: 0 },
      ],
    });
    // The days add up to the campaign's totals.
    const stats = (await t.api(`/v1/campaigns/${c.id}/stats`)).body;
    const sum = (res.body.data as Day[]).reduce((a, d) => a + d.referred, 0);
    expect(sum).toBe(stats.referrals.total);
  });

  it('counts a qualification on the day it happened while the referral stays qualified', async () => {
    const c = await createCampaign(t);
    clock = new Date('2031-07-01T10:00:00.000Z');
    const rita = await addParticipant(t, { campaign_id: c.id, email: 'rita@qual.example.com' });
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'ann@qual.example.com', referrer_code: rita.code });
    const bob = await addParticipant(t, { campaign_id: c.id, email: 'bob@qual.example.com', referrer_code: rita.code });
    const cat = await addParticipant(t, { campaign_id: c.id, email: 'cat@qual.example.com', referrer_code: rita.code });
    await addParticipant(t, { campaign_id: c.id, email: 'dan@qual.example.com', referrer_code: rita.code });

    clock = new Date('2031-07-03T08:00:00.000Z');
    expect((await qualify(ann.id)).status).toBe(200);
    expect((await qualify(bob.id)).status).toBe(200);
    clock = new Date('2031-07-04T08:00:00.000Z');
    expect((await unqualify(bob.id)).status).toBe(200);
    expect((await qualify(cat.id)).status).toBe(200);
    clock = new Date('2031-07-05T08:00:00.000Z');
    expect((await unqualify(cat.id)).status).toBe(200);
    expect((await qualify(cat.id)).status).toBe(200);

    clock = new Date('2031-07-06T08:00:00.000Z');
    const res = await daily(c.id, '?days=6');
    expect(active(res.body.data)).toEqual({
      '2031-07-01': { referred: 4, qualified: 0, clicks: 0 },
      '2031-07-03': { referred: 0, qualified: 1, clicks: 0 },
      '2031-07-05': { referred: 0, qualified: 1, clicks: 0 },
    });
    const stats = (await t.api(`/v1/campaigns/${c.id}/stats`)).body;
    expect((res.body.data as Day[]).reduce((a, d) => a + d.qualified, 0)).toBe(stats.referrals.qualified);
  });

  it('counts clicks by people and leaves bots out, like the campaign stats', async () => {
    const c = await createCampaign(t);
    const rita = await addParticipant(t, { campaign_id: c.id, email: 'rita@clicks.example.com' });
    await clickLink(rita.referral_link, { 'user-agent': BROWSER });
    await clickLink(rita.referral_link, { 'user-agent': BROWSER });
    await clickLink(rita.referral_link, { 'user-agent': 'Googlebot/2.1 (+http://www.google.com/bot.html)' });
    await t.hub.clicks.flush();
    // Click rows carry the time they arrived; the range ends on the hub's today.
    const res = await daily(c.id, '?days=3');
    const today = res.body.data[2];
    expect(today).toEqual({ day: new Date().toISOString().slice(0, 10), referred: 0, qualified: 0, clicks: 2 });
    const stats = (await t.api(`/v1/campaigns/${c.id}/stats`)).body;
    expect(stats.clicks.humans).toBe(2);
  });

  it("answers 404 for another workspace's campaign and counts only the campaign asked for", async () => {
    const mine = await createCampaign(t);
    const other = await t.newWorkspace();
    const theirs = await createCampaign(t, {}, other.secretKey);
    const theirReferrer = await addParticipant(t, { campaign_id: theirs.id, email: 'them@other.example.com' }, other.secretKey);
    await addParticipant(t, { campaign_id: theirs.id, email: 'friend@other.example.com', referrer_code: theirReferrer.code }, other.secretKey);

    const refused = await daily(theirs.id);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await daily('cmp_00000000000000000000000000')).status).toBe(404);

    const theirsSeen = await daily(theirs.id, '', other.secretKey);
    expect(theirsSeen.body.data.at(-1).referred).toBe(1);
    const mineSeen = await daily(mine.id);
    expect(mineSeen.body.data.every((d: Day) => d.referred === 0)).toBe(true);
  });

  it.each([
    ['?days=0', 'query.days'],
    ['?days=367', 'query.days'],
    ['?days=ten', 'query.days'],
    ['?days=1.5', 'query.days'],
    ['?to=2031-02-30', 'query.to'],
    ['?to=31-01-01', 'query.to'],
  ])('refuses %s naming the field', async (query, path) => {
    const c = await createCampaign(t);
    const res = await daily(c.id, query);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await t.api('/openapi.json')).body;
    const op = doc.paths['/v1/campaigns/{id}/stats/daily'].get;
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'days', 'to']));
    const days = op.parameters.find((p: { name: string }) => p.name === 'days');
    expect(days.schema).toMatchObject({ minimum: 1, maximum: 366, default: 30 });
    const entry = op.responses['200'].content['application/json'].schema.properties.data.items;
    expect(entry.required).toEqual(expect.arrayContaining(['day', 'referred', 'qualified', 'clicks']));
  });
});
