import { pushBatchTiming } from '../../../core/src/integrations/push-batch';
import { startTestHub, type ApiResponse, type TestHub, type TestHubOptions } from '../../support/hub';
import { startFakeHubSpot, type FakeHubSpot } from '../../fakes/hubspot';
import { waitFor } from '../../support/wait';

/** Poll until `fn` returns something truthy (jobs run in the background). */
export { waitFor };

export const WORKFLOW_SECRET = 'workflow-secret-0123456789';

/** One test's world: its own workspace, campaign and HubSpot fake, on the file's shared hub. */
export interface HubSpotScenario {
  t: TestHub;
  hs: FakeHubSpot;
  workspaceId: string;
  campaignId: string;
  api: TestHub['api'];
  connect(settings?: Record<string, unknown>, credentials?: Record<string, unknown>): Promise<ApiResponse>;
  /** a referrer and a friend who signed up with its code */
  referral(email?: string): Promise<{ referrer: any; friend: any }>;
  /** the friend's HubSpot contact id, once pushed */
  contactOf(participantId: string): Promise<string>;
  /** post a delivery to the integration's inbound URL */
  deliver(body: string, headers: Record<string, string>): Promise<ApiResponse>;
  inboundUrl(): Promise<string>;
}

export interface HubSpotEnv {
  t: TestHub;
  scenario(): Promise<HubSpotScenario>;
  close(): Promise<void>;
}

/** A hub with its job runner (fast retries, a 200 ms polling tick) and a HubSpot fake per scenario; `now` is the hub's clock, `db` its database kind. */
export async function startHubSpotEnv(options: Pick<TestHubOptions, 'now' | 'db'> = {}): Promise<HubSpotEnv> {
  pushBatchTiming.windowMs = 150;
  const t = await startTestHub({ worker: { retryDelayScale: 0.01, every: { 'crm.poll': 200 } }, ...options });
  const fakes: FakeHubSpot[] = [];
  return {
    t,
    async scenario() {
      const hs = await startFakeHubSpot();
      fakes.push(hs);
      const ws = await t.newWorkspace();
      const api: TestHub['api'] = (path, init = {}) => t.api(path, { ...init, key: init.key === undefined ? ws.secretKey : init.key });
      const campaign = await api('/v1/campaigns', {
        body: { name: 'Friends', destination_url: 'https://shop.example.com/', reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 1000, currency: 'usd' }] },
      });
      if (campaign.status !== 201) throw new Error(`campaign: ${JSON.stringify(campaign.body)}`);
      const s: HubSpotScenario = {
        t,
        hs,
        api,
        workspaceId: ws.workspaceId,
        campaignId: campaign.body.id,
        connect: (settings = {}, credentials = {}) =>
          api('/v1/integrations/hubspot', {
            method: 'PUT',
            body: { credentials: { access_token: hs.token, client_secret: hs.oauth.clientSecret, workflow_secret: WORKFLOW_SECRET, ...credentials }, settings, api_base_url: hs.url },
          }),
        async referral(email = `friend-${Math.random().toString(36).slice(2)}@example.com`) {
          const referrer = await api('/v1/participants', { body: { campaign_id: campaign.body.id, email: `ref-${email}`, first_name: 'Rita' } });
          const friend = await api('/v1/participants', { body: { campaign_id: campaign.body.id, email, first_name: 'Fred', last_name: 'Friend', referrer_code: referrer.body.code } });
          if (friend.status !== 201) throw new Error(`friend: ${JSON.stringify(friend.body)}`);
          return { referrer: referrer.body, friend: friend.body };
        },
        async contactOf(participantId) {
          return waitFor(async () => (await api(`/v1/participants/${participantId}`)).body.crm?.hubspot?.ids?.contact as string | undefined, `participant ${participantId} pushed to HubSpot`);
        },
        async inboundUrl() {
          return (await api('/v1/integrations/hubspot')).body.inbound_url as string;
        },
        async deliver(body, headers) {
          const url = await s.inboundUrl();
          const res = await fetch(url, { method: 'POST', body, headers });
          const text = await res.text();
          return { status: res.status, headers: res.headers, body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text };
        },
      };
      return s;
    },
    async close() {
      for (const f of fakes) await f.close();
      await t.close();
    },
  };
}

/** A HubSpot webhook event as HubSpot posts it. */
export function hubspotEvent(fields: { type: string; objectId: string | number; portalId: number; propertyName?: string; propertyValue?: string; eventId?: number; occurredAt?: number }) {
  return {
    eventId: fields.eventId ?? Math.floor(Math.random() * 1e9),
    subscriptionId: 2001,
    portalId: fields.portalId,
    appId: 3001,
    occurredAt: fields.occurredAt ?? Date.now(),
    subscriptionType: fields.type,
    attemptNumber: 0,
    objectId: Number(fields.objectId),
    ...(fields.propertyName ? { propertyName: fields.propertyName, propertyValue: fields.propertyValue ?? '' } : {}),
    changeSource: 'CRM_UI',
  };
}
