import { createHmac } from 'node:crypto';
import { verifyWebhookSignature } from '../../../core/src';
import { signWebhookBody } from '../../../core/src/webhooks/signature';

const secret = 'whsec_test_secret';
const body = JSON.stringify({ id: 'evt_1', type: 'referral.qualified', data: { id: 'par_1' } });
const now = 1_790_000_000;

describe('verifyWebhookSignature', () => {
  it('accepts a delivery signed with the endpoint secret', () => {
    const header = signWebhookBody(body, secret, now);
    expect(header).toBe(`t=${now},v1=${createHmac('sha256', secret).update(`${now}.${body}`).digest('hex')}`);
    expect(verifyWebhookSignature(body, header, secret, 300, now)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), header, secret, 300, now + 299)).toBe(true);
  });

  it('refuses a tampered body', () => {
    const header = signWebhookBody(body, secret, now);
    expect(verifyWebhookSignature(body.replace('par_1', 'par_2'), header, secret, 300, now)).toBe(false);
    expect(verifyWebhookSignature(`${body} `, header, secret, 300, now)).toBe(false);
  });

  it('refuses a stale or future timestamp (replay)', () => {
    const header = signWebhookBody(body, secret, now);
    expect(verifyWebhookSignature(body, header, secret, 300, now + 301)).toBe(false);
    expect(verifyWebhookSignature(body, header, secret, 300, now - 301)).toBe(false);
    expect(verifyWebhookSignature(body, header, secret, 600, now + 500)).toBe(true);
  });

  it('refuses another secret, a changed t, and malformed headers', () => {
    const header = signWebhookBody(body, secret, now);
    expect(verifyWebhookSignature(body, header, 'whsec_other', 300, now)).toBe(false);
    expect(verifyWebhookSignature(body, header.replace(`t=${now}`, `t=${now + 1}`), secret, 300, now)).toBe(false);
    for (const bad of [undefined, null, '', 'garbage', `t=${now}`, `v1=${'a'.repeat(64)}`, `t=abc,v1=${'a'.repeat(64)}`, `t=${now},v1=zz`]) {
      expect(verifyWebhookSignature(body, bad, secret, 300, now)).toBe(false);
    }
  });

  it('accepts any matching v1 when several are sent (secret rotation)', () => {
    const good = signWebhookBody(body, secret, now).split(',')[1];
    expect(verifyWebhookSignature(body, `t=${now},v1=${'0'.repeat(64)},${good}`, secret, 300, now)).toBe(true);
  });
});
