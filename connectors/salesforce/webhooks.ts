import type { InboundDelivery, RegisterResult, WebhookRegistration, WebhookVerdict } from '../contract';
import type { SalesforceContext } from './auth';
import { watchedObjects } from './changes';

/**
 * Salesforce sends Referloop no webhooks: changes arrive through Change Data Capture (streaming.ts)
 * or SOQL polling (polling.ts), both opened from our side. Nothing is registered at Salesforce; with
 * CDC, the objects must be selected for change events in Setup, which only a person can do — that
 * is what `manual` tells. Deliveries to the inbound URL are refused.
 */

export async function registerWebhooks(ctx: SalesforceContext, _input: { url: string; existing: WebhookRegistration[] }): Promise<RegisterResult> {
  const watch = watchedObjects(ctx.settings);
  if (ctx.settings.detection !== 'cdc' || (!watch.lead && !watch.opportunity)) return { webhooks: [] };
  const events = [...(watch.lead ? ['LeadChangeEvent'] : []), ...(watch.opportunity ? ['OpportunityChangeEvent'] : [])];
  const objects = events.map((e) => e.replace('ChangeEvent', '')).join(' and ');
  return {
    webhooks: [],
    manual: {
      events,
      instructions: `In Salesforce Setup → Integrations → Change Data Capture, select ${objects}. Referloop's worker subscribes to ${events.map((e) => `/data/${e}`).join(' and ')} and resumes from the last replay id after a restart. Without Change Data Capture, set settings.detection to polling.`,
    },
  };
}

export async function unregisterWebhooks(_ctx: SalesforceContext, _webhooks: WebhookRegistration[]): Promise<void> {
  // Nothing was registered at Salesforce; the worker closes the change stream when the integration is disconnected.
}

export async function parseWebhook(_ctx: SalesforceContext, _delivery: InboundDelivery): Promise<WebhookVerdict> {
  return { verified: false, status: 403, reason: 'Salesforce changes reach Referloop through Change Data Capture or polling, not webhooks' };
}
