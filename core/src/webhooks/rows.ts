/** Rows of the webhook tables as the store returns them. */

export interface WebhookEndpointRow {
  id: string;
  workspace_id: string;
  campaign_id: string | null;
  url: string;
  description: string | null;
  events: string[];
  secret: string;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  last_success_at: Date | null;
  last_failure_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'retrying' | 'failed' | 'cancelled';

export interface WebhookDeliveryRow {
  id: string;
  workspace_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
  duration_ms: number | null;
  next_retry_at: Date | null;
  last_attempt_at: Date | null;
  retry_of: string | null;
  created_at: Date;
  updated_at: Date;
}
