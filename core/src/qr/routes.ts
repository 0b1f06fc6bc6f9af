// GET /qr/{code}.svg|.png?size= – the QR code of a participant's referral link (scans count under channel qr)
import type express from 'express';
import { z } from 'zod';
import type { Hub } from '../hub';
import { normalizeCode } from '../lib/codes';
import { ApiError, invalidField } from '../lib/errors';
import { QR_SIZE, qrTarget, renderQr } from './render';

const FILE = /^([A-Za-z0-9-]{1,64})\.(svg|png)$/;
const querySchema = z.object({ size: z.coerce.number().int().min(QR_SIZE.min).max(QR_SIZE.max).default(QR_SIZE.default) });

const CONTENT_TYPES = { svg: 'image/svg+xml', png: 'image/png' } as const;

/** Mount the public QR image route (no key: the image only repeats the public referral link). */
export function mountQr(app: express.Express, hub: Hub): void {
  // express 5 hands a rejected handler to the app's problem+json error handler.
  app.get('/qr/:file', async (req, res) => {
    const file = FILE.exec(req.params.file);
    if (!file) throw new ApiError('not_found', 'QR images are /qr/{code}.svg or /qr/{code}.png');
    const query = querySchema.safeParse(req.query);
    if (!query.success) throw invalidField('query.size', `must be an integer from ${QR_SIZE.min} to ${QR_SIZE.max}`);
    const format = file[2] === 'png' ? 'png' : 'svg';
    const code = normalizeCode(file[1]);
    // The redirect's cache: a QR request costs no query when its link was just shown or clicked.
    if (!(await hub.codeCache.lookup(code))) throw new ApiError('not_found', `No participant with referral code '${code}'`);
    const image = await renderQr(qrTarget(hub.links.referralLink(code)), format, query.data.size);
    res.set({ 'Content-Type': CONTENT_TYPES[format], 'Cache-Control': 'public, max-age=86400' });
    res.send(image);
  });
}
