// POST /hooks/inbound/{token} – a campaign's secret qualification webhook (JSON or form; optional HMAC signature)
import express from 'express';
import type { Hub } from '../hub';
import type { CampaignRow } from '../domain/rows';
import { parseOrThrow } from '../http/validation';
import { ApiError } from '../lib/errors';
import { applyInbound } from './apply';
import { decodeInboundBody, inboundParamsSchema, inboundPayloadSchema, type InboundAnswer } from './payload';
import { SIGNATURE_HEADER, verifySignature } from './signature';

/** Mount the inbound qualification webhook; it reads the raw body, which the signature covers. */
export function mountInbound(app: express.Express, hub: Hub): void {
  const raw = express.raw({ type: () => true, limit: '64kb' });
  app.post('/hooks/inbound/:token', raw, async (req, res) => {
    const params = inboundParamsSchema.safeParse(req.params);
    const token = params.success ? params.data.token : '';
    const [campaign] = token
      ? await hub.db.query<CampaignRow>('SELECT * FROM campaigns WHERE inbound_token = $1', [token])
      : [];
    if (!campaign) throw new ApiError('not_found', 'No inbound webhook at this URL (the token is unknown or was rotated)');
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (campaign.inbound_secret) {
      const check = verifySignature(campaign.inbound_secret, req.get(SIGNATURE_HEADER), body, hub.now());
      if (!check.ok) throw new ApiError('unauthorized', `Invalid signature: ${check.reason}`, [{ path: SIGNATURE_HEADER, message: check.reason }]);
    }
    const payload = parseOrThrow(inboundPayloadSchema, decodeInboundBody(req.get('content-type'), body), 'body');
    const answer: InboundAnswer = { ok: true, ...(await applyInbound(hub, campaign, payload)) };
    res.json(answer);
  });
}
