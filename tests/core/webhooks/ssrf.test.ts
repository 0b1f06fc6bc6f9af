import { isPrivateAddress } from '../../../core/src/webhooks/ssrf';
import { sendWebhook } from '../../../core/src/webhooks/send';
import { startTestHub, type TestHub } from '../../support/hub';
import { eventually, startReceiver, type Receiver } from './receiver';

describe('SSRF guard', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::10.0.0.1',
  ])('treats %s as private', (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('treats %s as public', (ip) => {
    expect(isPrivateAddress(ip)).toBe(false);
  });

  describe('on a hub that refuses private targets', () => {
    let t: TestHub;
    // No worker: nothing here may ever be delivered (no traffic leaves this machine).
    beforeAll(async () => {
      t = await startTestHub({ env: { ALLOW_PRIVATE_WEBHOOK_URLS: 'false' }, worker: false });
    });
    afterAll(async () => t.close());

    it.each([
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://10.0.0.5/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/hook',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/hook',
    ])('refuses %s with a problem naming url, and saves nothing', async (url) => {
      const res = await t.api('/v1/webhooks', { body: { url, events: ['participant.created'] } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.errors[0].path).toBe('url');
      expect(res.body.errors[0].message).toMatch(/loopback, private or link-local/);
      expect((await t.api('/v1/webhooks')).body.data).toHaveLength(0);
    });

    it('refuses other schemes, credentials in the URL and unresolvable hosts', async () => {
      for (const url of ['ftp://example.com/x', 'http://user:pw@93.184.216.34/hook', 'http://no-such-host.invalid/hook']) {
        const res = await t.api('/v1/webhooks', { body: { url, events: ['participant.created'] } });
        expect(res.status).toBe(400);
        expect(res.body.errors[0].path).toBe('url');
      }
    });

    it('accepts a public address', async () => {
      const res = await t.api('/v1/webhooks', { body: { url: 'https://93.184.216.34/hook', events: ['participant.created'] } });
      expect(res.status).toBe(201);
      await t.api(`/v1/webhooks/${res.body.id}`, { method: 'DELETE' });
    });

    it('refuses a private URL in PATCH too', async () => {
      const created = await t.api('/v1/webhooks', { body: { url: 'https://93.184.216.34/hook', events: ['participant.created'] } });
      const res = await t.api(`/v1/webhooks/${created.body.id}`, { method: 'PATCH', body: { url: 'http://127.0.0.1/x' } });
      expect(res.status).toBe(400);
      expect((await t.api(`/v1/webhooks/${created.body.id}`)).body.url).toBe('https://93.184.216.34/hook');
      await t.api(`/v1/webhooks/${created.body.id}`, { method: 'DELETE' });
    });
  });

  describe('at delivery time', () => {
    let t: TestHub;
    let receiver: Receiver;
    beforeAll(async () => {
      t = await startTestHub();
      receiver = await startReceiver();
    });
    afterAll(async () => {
      await t.close();
      await receiver.close();
    });

    it('does not connect when the target is private and private targets are no longer allowed', async () => {
      const campaign = (await t.api('/v1/campaigns', { body: { name: 'C', destination_url: 'https://shop.example.com/' } })).body;
      const hook = (await t.api('/v1/webhooks', { body: { url: receiver.url.replace('127.0.0.1', 'localhost'), events: ['participant.created'] } })).body;
      // The operator turns private targets off after the endpoint was saved (or its DNS now points inside).
      t.hub.config = { ...t.hub.config, ALLOW_PRIVATE_WEBHOOK_URLS: false };
      await t.api('/v1/participants', { body: { campaign_id: campaign.id, email: 'x@example.com' } });
      const d = await eventually(async () => (await t.api(`/v1/webhooks/${hook.id}/deliveries`)).body.data.find((x: any) => x.attempt >= 1));
      expect(d.error).toMatch(/refused: localhost resolves to private address/);
      expect(d.response_status).toBeNull();
      expect(receiver.received).toHaveLength(0);
    });
  });

  it('gives up on a receiver that does not answer within the timeout', async () => {
    const slow = await startReceiver(() => ({ status: 200, delayMs: 2000 }));
    const res = await sendWebhook({ url: slow.url, body: '{}', headers: {}, timeoutMs: 200, allowPrivate: true });
    expect(res).toMatchObject({ ok: false, status: null, error: 'timed out after 200 ms' });
    expect(res.durationMs).toBeLessThan(1500);
    await slow.close();
  });
});
