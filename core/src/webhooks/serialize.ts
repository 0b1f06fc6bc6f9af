import type { WebhookEndpointRow, WebhookDeliveryRow } from './rows';
import type { WebhookDelivery, WebhookEndpoint } from './schemas';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** The endpoint resource, without its secret. */
export function toWebhookEndpoint(row: WebhookEndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    object: 'webhook_endpoint',
    url: row.url,
    events: row.events,
    campaign_id: row.campaign_id,
    description: row.description,
    enabled: row.enabled,
    disabled_reason: row.disabled_reason,
    disabled_at: iso(row.disabled_at),
    consecutive_failures: row.consecutive_failures,
    last_success_at: iso(row.last_success_at),
    last_failure_at: iso(row.last_failure_at),
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function toWebhookDelivery(row: WebhookDeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    object: 'webhook_delivery',
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempt: row.attempts,
    response_status: row.response_status,
    response_body: row.response_body,
    error: row.error,
    duration_ms: row.duration_ms,
    next_retry_at: iso(row.next_retry_at),
    last_attempt_at: iso(row.last_attempt_at),
    retry_of: row.retry_of,
    created_at: row.created_at.toISOString(),
  };
}
