import { dbKinds, startTestHub, type TestHub } from '../support/hub';
import { addParticipant, createCampaign } from '../support/fixtures';

describe.each(dbKinds())('fraud checks on %s', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db });
  });
  afterAll(async () => t.close());

  async function referral(campaignId: string, referrerEmail: string, friend: Record<string, unknown>, referrerExtra: Record<string, unknown> = {}) {
    const referrer = await addParticipant(t, { campaign_id: campaignId, email: referrerEmail, ...referrerExtra });
    return addParticipant(t, { campaign_id: campaignId, referrer_code: referrer.code, ...friend });
  }

  it('flags a self-referral through plus-tags and Gmail dots', async () => {
    const c = await createCampaign(t);
    const f = await referral(c.id, 'jane.doe@gmail.com', { email: 'JaneDoe+friend@googlemail.com' });
    expect(f).toMatchObject({ referral_status: 'flagged', flag_reasons: ['self_referral'] });
  });

  it('flags an email already in the campaign under another spelling', async () => {
    const c = await createCampaign(t);
    await addParticipant(t, { campaign_id: c.id, email: 'sam.smith@gmail.com' });
    const f = await referral(c.id, 'ref-dup@example.com', { email: 'samsmith@gmail.com' });
    expect(f.flag_reasons).toEqual(['duplicate_email']);
  });

  it('flags a sign-up from the referrer’s IP and from a second friend on the same IP within 24 h', async () => {
    const c = await createCampaign(t);
    const own = await referral(c.id, 'ip-ref@example.com', { email: 'ip-friend@example.com', ip_address: '203.0.113.7' }, { ip_address: '203.0.113.7' });
    expect(own.flag_reasons).toEqual(['same_ip']);
    const ref2 = await addParticipant(t, { campaign_id: c.id, email: 'ip-ref2@example.com', ip_address: '198.51.100.1' });
    const one = await addParticipant(t, { campaign_id: c.id, email: 'ip-f1@example.com', referrer_code: ref2.code, ip_address: '198.51.100.9' });
    const two = await addParticipant(t, { campaign_id: c.id, email: 'ip-f2@example.com', referrer_code: ref2.code, ip_address: '198.51.100.9' });
    expect(one.referral_status).toBe('pending');
    expect(two.flag_reasons).toEqual(['same_ip']);
  });

  it('flags disposable email domains', async () => {
    const c = await createCampaign(t);
    const f = await referral(c.id, 'disp-ref@example.com', { email: 'someone@mailinator.com' });
    expect(f.flag_reasons).toEqual(['disposable_email']);
  });

  it('lets a campaign turn checks off', async () => {
    const c = await createCampaign(t, { fraud: { disposable_email: false } });
    const f = await referral(c.id, 'off-ref@example.com', { email: 'someone2@mailinator.com' });
    expect(f.referral_status).toBe('pending');
  });

  it('holds a qualification of a flagged referral until review; approve pays, reject unqualifies', async () => {
    const c = await createCampaign(t);
    const f = await referral(c.id, 'rev.ref@gmail.com', { email: 'revref+2@gmail.com' });
    const q = await t.api('/v1/referrals/qualify', { body: { code: f.code } });
    expect(q.body).toMatchObject({ changed: true, rewards: [], referral: { referral_status: 'flagged' } });
    expect((await t.api(`/v1/rewards?referral_id=${f.id}`)).body.data).toEqual([]);
    const approved = await t.api(`/v1/referrals/${f.id}/review`, { body: { decision: 'approve', reason: 'same household, allowed' } });
    expect(approved.body.referral.referral_status).toBe('qualified');
    expect(approved.body.rewards).toHaveLength(1);
    expect((await t.api(`/v1/referrals/${f.id}/review`, { body: { decision: 'approve' } })).status).toBe(409);

    const g = await referral(c.id, 'rej.ref@gmail.com', { email: 'rejref+x@gmail.com' });
    const rejected = await t.api(`/v1/referrals/${g.id}/review`, { body: { decision: 'reject', reason: 'self-referral' } });
    expect(rejected.body.referral.referral_status).toBe('unqualified');
    const h = await referral(c.id, 'pend.ref@gmail.com', { email: 'pendref+x@gmail.com' });
    const back = await t.api(`/v1/referrals/${h.id}/review`, { body: { decision: 'approve' } });
    expect(back.body.referral.referral_status).toBe('pending');
  });
});
