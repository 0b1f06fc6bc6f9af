import { signalSchema, vendors, type InboundDelivery, type Signal, type Vendor } from '@referloop/connectors';
import express, { type Request, type Response } from 'express';
import type { Hub } from '../hub';
import type { HubContext } from '../context';
import { sendProblem } from '../http/problem';
import { enqueue } from '../jobs/enqueue';
import { ApiError } from '../lib/errors';
import { newId } from '../lib/ids';
import { openIntegration } from './connector-context';
import type { VendorHookReceipt } from './hooks-openapi';
import { findIntegrationByToken, type IntegrationRow } from './rows';

function headersOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * Store verified signals, each once under (workspace, vendor, vendor event id), and enqueue the job
 * that applies each new one, in one transaction: a replay finds its row and adds nothing.
 */
export async function storeSignals(hub: HubContext, integration: IntegrationRow, signals: Signal[]): Promise<{ stored: number; duplicates: number }> {
  return hub.db.tx(async (q) => {
    let stored = 0;
    for (const signal of signals) {
      const rows = await q.query<{ id: string }>(
        `INSERT INTO vendor_events (id, workspace_id, integration_id, vendor, vendor_event_id, kind, signal, occurred_at, status, received_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7::jsonb,$8,'received',$9)
         ON CONFLICT (workspace_id, vendor, vendor_event_id) DO NOTHING RETURNING id`,
        [newId('event'), integration.workspace_id, integration.id, integration.vendor, signal.event_id, signal.kind, JSON.stringify(signal), signal.occurred_at ?? null, hub.now()],
      );
      if (rows.length === 0) continue;
      stored++;
      await enqueue(q, 'vendor.event.apply', { vendor_event_id: rows[0].id });
    }
    return { stored, duplicates: signals.length - stored };
  });
}

/**
 * Store each signal with the integration its vendor account belongs to. Signals naming no account,
 * or this integration's, stay here. One vendor app may send every installation's events to one URL
 * (HubSpot public apps, routed by portal id): signals of another account go to the integrations
 * connected to that account, each of which must verify the delivery with its own secrets first, so
 * a delivery signed for one workspace can never act in another. Unclaimed accounts are dropped.
 */
export async function storeRoutedSignals(hub: HubContext, integration: IntegrationRow, delivery: InboundDelivery, signals: Signal[]): Promise<{ stored: number; duplicates: number }> {
  const own = integration.account?.id ?? null;
  const here = signals.filter((s) => s.account_id === undefined || s.account_id === own);
  const total = await storeSignals(hub, integration, here);
  const elsewhere = [...new Set(signals.map((s) => s.account_id).filter((a): a is string => a !== undefined && a !== own))];
  for (const account of elsewhere) {
    const targets = await hub.db.query<IntegrationRow>("SELECT * FROM integrations WHERE vendor = $1 AND account->>'id' = $2 AND status <> 'disconnected' AND id <> $3", [
      integration.vendor,
      account,
      integration.id,
    ]);
    if (targets.length === 0) hub.log.info({ integration_id: integration.id, vendor: integration.vendor, account }, 'vendor events for an account no integration is connected to: dropped');
    for (const target of targets) {
      const { connector, ctx } = await openIntegration(hub, target);
      const verdict = await connector.parseWebhook(ctx, delivery);
      if (!verdict.verified) {
        hub.log.warn({ integration_id: target.id, vendor: target.vendor, reason: verdict.reason }, 'routed vendor events not verified by the account integration: dropped');
        continue;
      }
      const theirs = verdict.signals.map((s) => signalSchema.parse(s)).filter((s) => s.account_id === account);
      const counted = await storeSignals(hub, target, theirs);
      total.stored += counted.stored;
      total.duplicates += counted.duplicates;
    }
  }
  return total;
}

/**
 * POST /hooks/{vendor}/{token}: the connector verifies the raw body (signature, basic auth) and
 * translates it; verified events are stored and answered at once, applied later by a job.
 * Unverified → 401 (or the connector's status), nothing stored.
 */
async function receive(hub: Hub, vendor: Vendor, req: Request, res: Response): Promise<void> {
  const integration = await findIntegrationByToken(hub.db, vendor, String(req.params.token));
  if (!integration) return sendProblem(res, new ApiError('not_found', `No ${vendor} integration receives at this URL`));
  const { connector, ctx } = await openIntegration(hub, integration);
  const delivery: InboundDelivery = {
    method: req.method,
    url: `${hub.config.publicUrl}${req.originalUrl}`,
    headers: headersOf(req),
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
  };
  const verdict = await connector.parseWebhook(ctx, delivery);
  if (!verdict.verified) {
    hub.log.info({ integration_id: integration.id, vendor, reason: verdict.reason }, 'vendor webhook refused');
    const status = verdict.status ?? 401;
    return sendProblem(res, new ApiError(status === 400 ? 'validation_failed' : status === 403 ? 'forbidden' : 'unauthorized', `The delivery could not be verified: ${verdict.reason}`));
  }
  const signals = verdict.signals.map((s) => signalSchema.parse(s));
  const { stored, duplicates } = await storeRoutedSignals(hub, integration, delivery, signals);
  hub.log.debug({ integration_id: integration.id, vendor, stored, duplicates }, 'vendor webhook received');
  if (verdict.reply) {
    res.status(verdict.reply.status);
    if (verdict.reply.body === undefined) res.end();
    else res.json(verdict.reply.body);
    return;
  }
  const receipt: VendorHookReceipt = { received: signals.length, stored, duplicates };
  res.status(200).json(receipt);
}

/** Mount `/hooks/{vendor}/{token}` for each vendor, with the raw body kept for verification. */
export function mountVendorHooks(app: express.Express, hub: Hub): void {
  const raw = express.raw({ type: () => true, limit: hub.config.BODY_LIMIT });
  for (const vendor of vendors) {
    app.post(`/hooks/${vendor}/:token`, raw, (req: Request, res: Response, next) => {
      receive(hub, vendor, req, res).catch(next);
    });
  }
}
