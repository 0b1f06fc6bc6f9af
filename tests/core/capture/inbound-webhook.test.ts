import { signBody } from '../../../core/src/inbound/signature';
import { dbKinds, startTestHub, type TestHub } from '../../support/hub';
import { addParticipant, createCampaign } from './helpers';

async function post(url: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, type: res.headers.get('content-type') ?? '' };
}

describe.each(dbKinds())('inbound qualification webhook (%s)', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db });
  });
  afterAll(async () => t.close());

  async function referral(tag: string, campaignOverrides: Record<string, unknown> = {}) {
    const c = await createCampaign(t, { reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 1000, currency: 'USD' }], ...campaignOverrides });
    const ann = await addParticipant(t, c.id, `ann.${tag}@example.com`);
    const bob = await addParticipant(t, c.id, `bob.${tag}@example.com`, { referrer_code: ann.code });
    return { c, ann, bob };
  }

  it('qualifies by code (JSON) and unqualifies by email (form), through the one qualification path', async () => {
    const { c, bob } = await referral('happy');
    const url: string = c.inbound_webhook_url;
    expect(url).toMatch(new RegExp(`^${t.url}/hooks/inbound/[0-9a-z]+$`));

    const ok = await post(url, JSON.stringify({ code: bob.code.toLowerCase() }));
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, changed: true, participant_id: bob.id, referral_status: 'qualified' });
    const repeat = await post(url, JSON.stringify({ code: bob.code }));
    expect(repeat.body.changed).toBe(false);

    const off = await post(url, `email=${encodeURIComponent('BOB.happy@example.com')}&qualified=false&reason=refund`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(off.status).toBe(200);
    expect(off.body.referral_status).toBe('unqualified');

    const timeline = (await t.api(`/v1/participants/${bob.id}/timeline`)).body.data.filter((e: any) => e.kind === 'qualification');
    expect(timeline.map((e: any) => [e.source, e.data.to])).toEqual([
      ['inbound_webhook', 'qualified'],
      ['inbound_webhook', 'unqualified'],
    ]);
    const rewards = (await t.api('/v1/rewards')).body.data.filter((r: any) => r.referral_id === bob.id);
    expect(rewards.map((r: any) => r.status)).toEqual(['declined']);
  });

  it('keeps an amount as a conversion and applies a retried event_id once', async () => {
    const { c, bob } = await referral('amount');
    const body = `code=${bob.code}&amount=4999&currency=eur&event=deal_won&event_id=crm-77`;
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect((await post(c.inbound_webhook_url, body, form)).body.changed).toBe(true);
    await t.api('/v1/referrals/unqualify', { body: { code: bob.code } });
    // The CRM retries the old delivery: nothing changes (it would otherwise re-qualify).
    const retry = await post(c.inbound_webhook_url, body, form);
    expect(retry.body).toMatchObject({ changed: false, referral_status: 'unqualified' });
    const conversions = (await t.api(`/v1/conversions?participant_id=${bob.id}`)).body.data;
    expect(conversions).toEqual([expect.objectContaining({ event: 'deal_won', amount: 4999, currency: 'EUR', transaction_id: 'crm-77', source: 'inbound_webhook' })]);
  });

  it('answers 404 for an unknown token and 400 for a bad body, writing nothing', async () => {
    const { c, bob } = await referral('bad');
    const unknown = await post(`${t.url}/hooks/inbound/nosuchtoken0000000000`, JSON.stringify({ code: bob.code }));
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');

    const cases: Array<[string, Record<string, string>, number, string]> = [
      ['{"code": ', { 'content-type': 'application/json' }, 400, '(body)'],
      [JSON.stringify({}), { 'content-type': 'application/json' }, 400, 'code'],
      [JSON.stringify({ code: bob.code, email: 'bob.bad@example.com' }), { 'content-type': 'application/json' }, 400, 'code'],
      [JSON.stringify({ email: 'not-an-email' }), { 'content-type': 'application/json' }, 400, 'email'],
      [`code=${bob.code}&qualified=maybe`, { 'content-type': 'application/x-www-form-urlencoded' }, 400, 'qualified'],
      [`code=${bob.code}&amount=12.50&currency=USD`, { 'content-type': 'application/x-www-form-urlencoded' }, 400, 'amount'],
      [JSON.stringify({ code: 'NOBODY99' }), { 'content-type': 'application/json' }, 404, 'code'],
    ];
    for (const [body, headers, status, path] of cases) {
      const res = await post(c.inbound_webhook_url, body, headers);
      expect([body, res.status, res.body.errors?.[0]?.path]).toEqual([body, status, path]);
    }
    const xml = await post(c.inbound_webhook_url, '<code/>', { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect((await t.api(`/v1/participants/${bob.id}`)).body.referral_status).toBe('pending');
  });

  it('answers 409 for a participant who was not referred', async () => {
    const { c, ann } = await referral('direct');
    const res = await post(c.inbound_webhook_url, JSON.stringify({ code: ann.code }));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('not_referred');
  });

  it('requires a valid signature once the campaign has a signing secret, and stops the old URL on rotation', async () => {
    const { c, bob } = await referral('hmac');
    const secret = 'whsec_0123456789abcdef0123';
    const rotated = await t.api(`/v1/campaigns/${c.id}/inbound-webhook/rotate`, { body: { signing_secret: secret } });
    expect(rotated.body.inbound_signing).toBe(true);
    const url: string = rotated.body.inbound_webhook_url;
    expect(url).not.toBe(c.inbound_webhook_url);
    const body = JSON.stringify({ code: bob.code });

    expect((await post(c.inbound_webhook_url, body)).status).toBe(404);
    const unsigned = await post(url, body);
    expect(unsigned.status).toBe(401);
    expect(unsigned.body.errors[0].path).toBe('Referloop-Signature');
    const wrongSecret = await post(url, body, { 'content-type': 'application/json', 'Referloop-Signature': signBody('another-secret-entirely', body, new Date()) });
    expect(wrongSecret.status).toBe(401);
    const tampered = await post(url, JSON.stringify({ code: bob.code, qualified: false }), {
      'content-type': 'application/json',
      'Referloop-Signature': signBody(secret, body, new Date()),
    });
    expect(tampered.status).toBe(401);
    const stale = await post(url, body, { 'content-type': 'application/json', 'Referloop-Signature': signBody(secret, body, new Date(Date.now() - 3600_000)) });
    expect(stale.status).toBe(401);
    expect((await t.api(`/v1/participants/${bob.id}`)).body.referral_status).toBe('pending');

    const signed = await post(url, body, { 'content-type': 'application/json', 'Referloop-Signature': signBody(secret, body, new Date()) });
    expect(signed.status).toBe(200);
    expect(signed.body.referral_status).toBe('qualified');
  });
});
