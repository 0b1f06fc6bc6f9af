import { dbKinds, startTestHub, type TestHub } from '../../support/hub';
import { addParticipant, createCampaign } from '../../support/fixtures';
import { getPage } from './form-client';

const tokenOf = (p: { share_url: string }) => p.share_url.split('/p/')[1];

describe.each(dbKinds())('share page on %s', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db });
  });
  afterAll(async () => t.close());

  const sendEvent = (token: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/p/${token}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: t.url, ...headers },
      body: JSON.stringify(body),
    });

  it('shows the link, QR code, tagged share buttons, masked referrals, rewards and milestone progress', async () => {
    const c = await createCampaign(t, {
      slug: 'share-all',
      page: { reward_text: 'Three friends = a free month' },
      reward_rules: [
        { trigger: 'every_nth', n: 3, recipient: 'referrer', kind: 'custom', description: 'a free month' },
        { trigger: 'each_qualified', recipient: 'referrer', kind: 'credit', amount: 1000, currency: 'USD' },
      ],
    });
    const rita = await addParticipant(t, { campaign_id: c.id, email: 'rita@example.com', first_name: 'Rita', ip_address: '203.0.113.5' });
    const friends = [];
    for (const [i, name] of ['Fay', 'Gus', '<img src=x onerror=alert(1)>'].entries()) {
      friends.push(await addParticipant(t, { campaign_id: c.id, email: `f${i}@example.com`, first_name: name, last_name: 'Secret', referrer_code: rita.code }));
    }
    // From the referrer's own address: flagged for review, shown to the referrer as pending.
    const sock = await addParticipant(t, { campaign_id: c.id, email: 'sock@example.com', first_name: 'Sock', referrer_code: rita.code, ip_address: '203.0.113.5' });
    expect(sock.referral_status).toBe('flagged');
    for (const f of friends.slice(0, 2)) expect((await t.api('/v1/referrals/qualify', { body: { code: f.code } })).status).toBe(200);

    const page = await getPage(rita.share_url);
    expect(page.status).toBe(200);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-robots-tag')).toBe('noindex, nofollow');
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const html = page.html;
    expect(html).toContain('You&#39;re in, Rita!');
    expect(html).toContain('Three friends = a free month');
    expect(html).toContain(`<input id="referral-link" type="url" readonly value="${rita.referral_link}">`);
    expect(html).toContain(`src="${rita.qr_url}"`);
    expect(html).toContain('alt="QR code of your referral link"');
    for (const channel of ['email', 'sms', 'whatsapp', 'x', 'linkedin', 'facebook']) {
      expect(html).toContain(`data-channel="${channel}"`);
      expect(html).toContain(encodeURIComponent(`${rita.referral_link}?src=${channel}`));
    }
    expect(html).toContain('href="https://wa.me/?text=');
    expect(html).toContain('<p id="progress-text">2 of 3 friends — 1 more for a free month</p>');
    expect(html).toContain('<progress max="3" value="2"');
    expect(html).toContain('Each friend who qualifies earns you $10.00 credit.');
    expect(html).toContain('Your referrals (4)');
    expect(html).toMatch(/Fay <span class="muted">f0\*\*\*@example\.com<\/span><\/span><span class="tag qualified">Qualified/);
    expect(html).toMatch(/Sock <span class="muted">so\*\*\*@example\.com<\/span><\/span><span class="tag pending">Pending/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
    // Nothing about friends beyond first name and masked email.
    for (const hidden of ['f0@example.com', 'Secret', friends[0].code, tokenOf(friends[0]), 'flagged', 'same_ip']) expect(html).not.toContain(hidden);
    expect(html.match(/\$10\.00 credit<\/span><span class="tag qualified">Approved/g)).toHaveLength(2);
  });

  it('is a 404 for an unknown or malformed token', async () => {
    expect((await getPage(`${t.url}/p/abcdefghijklmnopqrstuvwxyz0123456789abcd`)).status).toBe(404);
    expect((await getPage(`${t.url}/p/..%2Fetc`)).status).toBe(404);
    expect((await sendEvent('abcdefghijklmnopqrstuvwxyz0123456789abcd', { kind: 'link_copied' })).status).toBe(404);
  });

  it('has an embed variant framed only by the campaign’s allowed origins', async () => {
    const c = await createCampaign(t, { slug: 'share-embed', allowed_origins: ['https://shop.example'] });
    const p = await addParticipant(t, { campaign_id: c.id, email: 'e@example.com' });
    const page = await getPage(`${p.share_url}?embed=1`);
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'self' https://shop.example");
    expect(page.html).toContain('<body class="embed" data-page="share"');
  });

  it('records copies and shares from the page, which make the participant a sharer', async () => {
    const c = await createCampaign(t, { slug: 'share-events' });
    const p = await addParticipant(t, { campaign_id: c.id, email: 'sharer@example.com' });
    expect((await t.api(`/v1/campaigns/${c.id}/stats`)).body.sharers).toBe(0);

    expect((await sendEvent(tokenOf(p), { kind: 'link_copied' })).status).toBe(204);
    expect((await sendEvent(tokenOf(p), { kind: 'link_shared', channel: 'whatsapp' })).status).toBe(204);
    const timeline = (await t.api(`/v1/participants/${p.id}/timeline`)).body.data;
    expect(timeline.slice(-2)).toMatchObject([
      { kind: 'link_copied', source: 'share_page', data: {} },
      { kind: 'link_shared', source: 'share_page', data: { channel: 'whatsapp' } },
    ]);
    expect((await t.api(`/v1/campaigns/${c.id}/stats`)).body.sharers).toBe(1);

    const noChannel = await sendEvent(tokenOf(p), { kind: 'link_shared' });
    expect(noChannel.status).toBe(400);
    expect((await noChannel.json()).errors[0].path).toBe('channel');
    expect((await sendEvent(tokenOf(p), { kind: 'link_liked' })).status).toBe(400);
    expect((await sendEvent(tokenOf(p), { kind: 'link_copied' }, { origin: 'https://evil.example' })).status).toBe(403);
  });

  it('limits beacons per IP address', async () => {
    const c = await createCampaign(t, { slug: 'share-limit' });
    const p = await addParticipant(t, { campaign_id: c.id, email: 'limit@example.com' });
    const ip = { 'x-forwarded-for': '192.0.2.77' };
    for (let i = 0; i < 60; i++) expect((await sendEvent(tokenOf(p), { kind: 'link_copied' }, ip)).status).toBe(204);
    const limited = await sendEvent(tokenOf(p), { kind: 'link_copied' }, ip);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
  });

  it('takes participation events through the API too; another workspace’s token is a 404', async () => {
    const c = await createCampaign(t, { slug: 'share-api' });
    const p = await addParticipant(t, { campaign_id: c.id, email: 'api@example.com' });
    const byToken = await t.api('/v1/participation-events', { body: { share_token: tokenOf(p), kind: 'link_shared', channel: 'newsletter' } });
    expect(byToken.status).toBe(201);
    expect(byToken.body).toEqual({ object: 'participation_event', participant_id: p.id, kind: 'link_shared', channel: 'newsletter', source: 'api' });
    const byCode = await t.api('/v1/participation-events', { body: { participant_id: p.code, kind: 'link_copied' } });
    expect(byCode.status).toBe(201);
    expect((await t.api(`/v1/campaigns/${c.id}/stats`)).body.sharers).toBe(1);

    const both = await t.api('/v1/participation-events', { body: { share_token: tokenOf(p), participant_id: p.id, kind: 'link_copied' } });
    expect(both.status).toBe(400);
    expect(both.body.errors[0].path).toBe('share_token');

    const other = await t.newWorkspace();
    const oc = await createCampaign(t, { slug: 'share-api-other' }, other.secretKey);
    const op = await addParticipant(t, { campaign_id: oc.id, email: 'other@example.com' }, other.secretKey);
    const foreign = await t.api('/v1/participation-events', { body: { share_token: tokenOf(op), kind: 'link_copied' } });
    expect(foreign.status).toBe(404);
    expect(foreign.body.errors[0].path).toBe('share_token');
    expect((await t.api('/v1/participation-events', { body: { participant_id: op.id, kind: 'link_copied' } })).status).toBe(404);
    const theirs = (await t.api(`/v1/participants/${op.id}/timeline`, { key: other.secretKey })).body.data;
    expect(theirs.map((e: any) => e.kind)).toEqual(['signup']);
  });
});
