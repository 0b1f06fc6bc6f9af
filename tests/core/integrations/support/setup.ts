import { Writable } from 'node:stream';
import { registerConnectorForTests } from '../../../../connectors';
import { createLogger } from '../../../../core/src/lib/logger';
import { startTestHub, type ApiResponse, type DbKind, type TestHub } from '../../../support/hub';
import { tinyConnector } from './tiny-connector';
import { startTinyCrm, type TinyCrm } from './tiny-crm';

export const VENDOR = 'pipedrive';

type Api = TestHub['api'];

/** One test's world: its own workspace (and key), campaign and Tiny CRM, on the file's shared hub. */
export interface Scenario {
  t: TestHub;
  crm: TinyCrm;
  workspaceId: string;
  secretKey: string;
  campaignId: string;
  /** the hub API with this scenario's key */
  api: Api;
  connect(settings?: Record<string, unknown>): Promise<ApiResponse>;
  /** a referrer and a friend who signed up with its code */
  referral(email?: string): Promise<{ referrer: any; friend: any }>;
  close(): Promise<void>;
}

export interface IntegrationEnv {
  t: TestHub;
  /** everything the hub logged since start, at trace level */
  logs(): string;
  scenario(): Promise<Scenario>;
  close(): Promise<void>;
}

/** Poll until `fn` returns something truthy (jobs run in the background). */
export { waitFor } from '../../../support/wait';

/**
 * A hub with its job runner, with the tiny connector registered under `pipedrive` through the
 * registry's test hook. The hub's log is captured at trace level. Tests take a `scenario()` each:
 * separate workspaces keep them apart without paying for a hub each.
 */
export async function startIntegrationEnv(db: DbKind = 'pglite'): Promise<IntegrationEnv> {
  const unregister = registerConnectorForTests(tinyConnector(VENDOR));
  const t = await startTestHub({ db, worker: { retryDelayScale: 0.01 } });
  let logged = '';
  // Everything that logs through hub.log from here on (integration code reads it when it logs).
  t.hub.log = createLogger('trace', new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()) }));
  const scenarios: Scenario[] = [];
  return {
    t,
    logs: () => logged,
    async scenario() {
      const crm = await startTinyCrm();
      const ws = await t.newWorkspace();
      const api: Api = (path, init = {}) => t.api(path, { ...init, key: init.key === undefined ? ws.secretKey : init.key });
      const campaign = await api('/v1/campaigns', {
        body: { name: 'Friends', destination_url: 'https://shop.example.com/', reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 1000, currency: 'usd' }] },
      });
      if (campaign.status !== 201) throw new Error(`campaign: ${JSON.stringify(campaign.body)}`);
      const s: Scenario = {
        t,
        crm,
        api,
        workspaceId: ws.workspaceId,
        secretKey: ws.secretKey,
        campaignId: campaign.body.id,
        connect: (settings = {}) => api(`/v1/integrations/${VENDOR}`, { method: 'PUT', body: { credentials: { api_token: crm.token }, settings, api_base_url: crm.url } }),
        async referral(email = `friend-${Math.random().toString(36).slice(2)}@example.com`) {
          const referrer = await api('/v1/participants', { body: { campaign_id: campaign.body.id, email: `ref-${email}`, first_name: 'Rita' } });
          const friend = await api('/v1/participants', { body: { campaign_id: campaign.body.id, email, first_name: 'Fred', referrer_code: referrer.body.code } });
          if (friend.status !== 201) throw new Error(`friend: ${JSON.stringify(friend.body)}`);
          return { referrer: referrer.body, friend: friend.body };
        },
        close: () => crm.close(),
      };
      scenarios.push(s);
      return s;
    },
    async close() {
      for (const s of scenarios) await s.close();
      await t.close();
      unregister();
    },
  };
}
