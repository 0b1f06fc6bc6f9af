import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { startTestHub, type TestHub } from '../../support/hub';
import { addParticipant, createCampaign } from './helpers';

/** Read a QR code the way a phone camera would: from the pixels. */
function decodePng(bytes: Buffer): string | null {
  const png = PNG.sync.read(bytes);
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

describe('QR codes', () => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub();
  });
  afterAll(async () => t.close());

  it('encodes the referral link with src=qr, and scans count under channel qr', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, c.id, 'ann.qr@example.com');
    expect(ann.qr_url).toBe(`${t.url}/qr/${ann.code}.svg`);

    const png = await fetch(`${t.url}/qr/${ann.code.toLowerCase()}.png?size=300`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    expect(PNG.sync.read(bytes).width).toBe(300);
    const link = decodePng(bytes);
    expect(link).toBe(`${t.url}/r/${ann.code}?src=qr`);

    const scan = await fetch(link!, { redirect: 'manual' });
    expect(scan.status).toBe(302);
    await t.hub.clicks.flush();
    const stats = await t.api(`/v1/campaigns/${c.id}/stats`);
    expect(JSON.stringify(stats.body)).toContain('"by_channel":{"qr":1}');
  });

  it('serves the SVG named by qr_url', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, c.id, 'ann.svg@example.com');
    const svg = await fetch(ann.qr_url);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toContain('image/svg+xml');
    expect(svg.headers.get('cache-control')).toContain('max-age');
    const text = await svg.text();
    expect(text).toMatch(/^<svg[^>]+viewBox/);
    expect(text).toContain('<path');
  });

  it('answers 404 for an unknown code and 400 for a silly size', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, c.id, 'ann.bad@example.com');
    expect((await fetch(`${t.url}/qr/NOSUCHCODE.svg`)).status).toBe(404);
    expect((await fetch(`${t.url}/qr/${ann.code}.gif`)).status).toBe(404);
    const huge = await fetch(`${t.url}/qr/${ann.code}.png?size=99999`);
    expect(huge.status).toBe(400);
    expect((await huge.json()).errors[0].path).toBe('query.size');
  });
});
