import { z } from 'zod';
import { toEnvelope, type EventRow } from '../events/envelope';
import { defineJob, PermanentJobError } from '../jobs/define';
import { disableEndpoint, MAX_CONSECUTIVE_FAILURES } from './disable';
import type { WebhookDeliveryRow } from './rows';
import { sendWebhook } from './send';
import { signWebhookBody } from './signature';

/** Receivers get 10 s to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;

type DeliveryWork = WebhookDeliveryRow & {
  url: string;
  secret: string;
  enabled: boolean;
  event: Pick<EventRow, 'id' | 'type' | 'workspace_id' | 'campaign_id' | 'data'> & { created_at: Date };
};

/**
 * POST one event to one endpoint. Any 2xx settles it; anything else is retried with exponential
 * backoff and jitter (15 s doubling up to 6 h between tries: 22 tries over about 3 days). 410 Gone
 * switches the endpoint off at once (Zapier's answer for a deleted hook), and so do 20 failed
 * attempts in a row.
 */
export const webhookDeliverJob = defineJob({
  name: 'webhook.deliver',
  payload: z.object({ delivery_id: z.string().min(1) }),
  attempts: 22,
  backoff: { type: 'exponential', delayMs: 15_000, maxDelayMs: 6 * 3_600_000, jitter: 0.2 },
  timeoutMs: DELIVERY_TIMEOUT_MS + 5_000,
  queue: 'webhooks',
  concurrency: 20,
  async run({ delivery_id }, { hub, attempt, retryDelayMs, signal }) {
    const [work] = await hub.db.query<DeliveryWork>(
      `SELECT d.*, w.url, w.secret, w.enabled,
         json_build_object('id', e.id, 'type', e.type, 'workspace_id', e.workspace_id, 'campaign_id', e.campaign_id,
           'data', e.data, 'created_at', e.created_at) AS event
       FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id JOIN events e ON e.id = d.event_id
       WHERE d.id = $1`,
      [delivery_id],
    );
    // Deleted with its endpoint (an unsubscribed REST hook), or a repeated run of a settled job.
    if (!work || work.status === 'succeeded' || work.status === 'failed' || work.status === 'cancelled') return;
    if (!work.enabled) {
      await hub.db.query(`UPDATE webhook_deliveries SET status = 'cancelled', error = 'endpoint disabled', next_retry_at = NULL, updated_at = now() WHERE id = $1`, [delivery_id]);
      return;
    }
    const body = JSON.stringify(toEnvelope({ ...work.event, created_at: new Date(work.event.created_at) }));
    const res = await sendWebhook({
      url: work.url,
      body,
      timeoutMs: DELIVERY_TIMEOUT_MS,
      allowPrivate: hub.config.ALLOW_PRIVATE_WEBHOOK_URLS,
      signal,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Referloop-Webhooks/1.0',
        'referloop-event-id': work.event.id,
        'referloop-event-type': work.event.type,
        'referloop-delivery-id': work.id,
        'referloop-signature': signWebhookBody(body, work.secret, Math.floor(Date.now() / 1000)),
      },
    });
    const attemptNo = work.attempts + 1;
    if (res.ok) {
      // One statement; the endpoint row is only touched to clear failures or at most once a second,
      // so concurrent deliveries to one endpoint do not queue on its row lock.
      await hub.db.query(
        `WITH d AS (
           UPDATE webhook_deliveries SET status = 'succeeded', attempts = $2, response_status = $3, response_body = $4, error = NULL,
             duration_ms = $5, next_retry_at = NULL, last_attempt_at = now(), updated_at = now() WHERE id = $1 RETURNING endpoint_id)
         UPDATE webhook_endpoints SET consecutive_failures = 0, last_success_at = now()
         WHERE id = (SELECT endpoint_id FROM d)
           AND (consecutive_failures > 0 OR last_success_at IS NULL OR last_success_at < now() - interval '1 second')`,
        [work.id, attemptNo, res.status, res.body, res.durationMs],
      );
      return;
    }
    const gone = res.status === 410;
    const finalAttempt = await hub.db.tx(async (q) => {
      const [endpoint] = await q.query<{ consecutive_failures: number }>(
        'UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1, last_failure_at = now() WHERE id = $1 RETURNING consecutive_failures',
        [work.endpoint_id],
      );
      let disabled = false;
      if (gone) disabled = await disableEndpoint(q, hub, work.endpoint_id, 'gone');
      else if (endpoint && endpoint.consecutive_failures >= MAX_CONSECUTIVE_FAILURES) disabled = await disableEndpoint(q, hub, work.endpoint_id, 'too_many_failures');
      const final = gone || disabled || retryDelayMs === null;
      await q.query(
        `UPDATE webhook_deliveries SET status = $2, attempts = $3, response_status = $4, response_body = $5, error = $6, duration_ms = $7,
           next_retry_at = CASE WHEN $2 = 'retrying' THEN now() + make_interval(secs => $8::float8) END, last_attempt_at = now(), updated_at = now()
         WHERE id = $1`,
        [work.id, final ? 'failed' : 'retrying', attemptNo, res.status, res.body, res.error, res.durationMs, (retryDelayMs ?? 0) / 1000],
      );
      return final;
    });
    const why = `delivery ${work.id} attempt ${attempt}: ${res.error ?? 'failed'}`;
    throw finalAttempt ? new PermanentJobError(why) : new Error(why);
  },
});
