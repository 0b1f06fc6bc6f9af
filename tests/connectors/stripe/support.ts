import { startTestHub, type ApiResponse, type DbKind, type TestHub } from '../../support/hub';
import { startFakeStripe, type FakeStripe } from '../../fakes/stripe';
import { waitFor } from '../../support/wait';

type Api = TestHub['api'];

/** A clock the hub and the fake Stripe share; tests move it (window expiry, stale signatures). */
export interface Clock {
  now(): Date;
  advance(ms: number): void;
}

export const DAY_MS = 86_400_000;

/** Poll until `fn` returns something truthy (jobs run in the background). */
export { waitFor };

/** One test's world: its own workspace and campaign on the file's hub, and its own Stripe account. */
export interface Scenario {
  stripe: FakeStripe;
  workspaceId: string;
  campaignId: string;
  api: Api;
  /** PUT /v1/integrations/stripe with the account's key, this campaign's rules and the fake as api_base_url */
  connect(rules?: Record<string, unknown>, extra?: { credentials?: Record<string, unknown>; settings?: Record<string, unknown> }): Promise<ApiResponse>;
  /** a referrer and a friend who signed up with its code */
  referral(friendEmail?: string): Promise<{ referrer: { id: string; email: string; code: string }; friend: { id: string; email: string; code: string } }>;
  /** the friend's referral status */
  status(participantId: string): Promise<string>;
  /** deliver events as Stripe does (signed, to the registered endpoint) and wait until they are applied */
  deliverAndSettle(events: Array<Record<string, unknown>>, opts?: { times?: number }): Promise<number[]>;
  /** wait until every push, event and reward job of the hub is done */
  settled(): Promise<void>;
  rewards(): Promise<Array<Record<string, unknown>>>;
}

export interface StripeEnv {
  t: TestHub;
  clock: Clock;
  scenario(campaign?: Record<string, unknown>): Promise<Scenario>;
  close(): Promise<void>;
}

const BUSY_JOBS = ['crm.push', 'vendor.event.apply', 'reward.issue'];

/**
 * A real hub (PGlite, or Postgres when asked; job runner, relay) on a controllable clock, with the window-expiry job run
 * every 200 ms; each scenario gets a fresh workspace, campaign and fake Stripe account.
 */
export async function startStripeEnv(db: DbKind = 'pglite'): Promise<StripeEnv> {
  let t0 = Date.now();
  const clock: Clock = { now: () => new Date(t0), advance: (ms) => void (t0 += ms) };
  // The clock stands still unless moved; keep it roughly with real time so ordering by it still works.
  const ticker = setInterval(() => (t0 += 50), 50);
  ticker.unref();
  const t = await startTestHub({ db, now: () => clock.now(), worker: { retryDelayScale: 0.01, every: { 'spend.close_windows': 200 } } });
  const fakes: FakeStripe[] = [];

  const settled = async () => {
    await waitFor(async () => {
      const [e] = await t.hub.db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE relayed_at IS NULL');
      const [j] = await t.hub.db.query<{ n: number }>("SELECT count(*)::int AS n FROM jobs WHERE type = ANY($1::text[]) AND status IN ('queued', 'running')", [BUSY_JOBS]);
      return e.n === 0 && j.n === 0;
    }, 'jobs settled');
  };

  return {
    t,
    clock,
    async scenario(campaign = {}) {
      const stripe = await startFakeStripe({ now: () => clock.now() });
      fakes.push(stripe);
      const ws = await t.newWorkspace();
      const api: Api = (path, init = {}) => t.api(path, { ...init, key: init.key === undefined ? ws.secretKey : init.key });
      const created = await api('/v1/campaigns', {
        body: { name: 'Friends', destination_url: 'https://shop.example.com/', reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 1000, currency: 'usd' }], ...campaign },
      });
      if (created.status !== 201) throw new Error(`campaign: ${JSON.stringify(created.body)}`);
      const campaignId: string = created.body.id;
      let n = 0;
      const s: Scenario = {
        stripe,
        workspaceId: ws.workspaceId,
        campaignId,
        api,
        connect: (rules = {}, extra = {}) =>
          api('/v1/integrations/stripe', {
            method: 'PUT',
            body: { credentials: extra.credentials ?? { secret_key: stripe.secretKey }, settings: { campaigns: { [campaignId]: rules }, ...(extra.settings ?? {}) }, api_base_url: stripe.url },
          }),
        async referral(friendEmail) {
          n++;
          const email = friendEmail ?? `friend-${n}-${Math.random().toString(36).slice(2, 8)}@example.com`;
          const referrer = await api('/v1/participants', { body: { campaign_id: campaignId, email: `rita-${n}-${Math.random().toString(36).slice(2, 8)}@example.com`, first_name: 'Rita', last_name: 'Referrer' } });
          const friend = await api('/v1/participants', { body: { campaign_id: campaignId, email, first_name: 'Fred', last_name: 'Friend', referrer_code: referrer.body.code } });
          if (friend.status !== 201) throw new Error(`friend: ${JSON.stringify(friend.body)}`);
          await settled();
          return { referrer: referrer.body, friend: friend.body };
        },
        status: async (id) => (await api(`/v1/participants/${id}`)).body.referral_status,
        async deliverAndSettle(events, opts) {
          const statuses = await stripe.deliver(events, opts);
          await settled();
          return statuses;
        },
        settled,
        rewards: async () => (await api('/v1/rewards')).body.data,
      };
      return s;
    },
    async close() {
      clearInterval(ticker);
      for (const f of fakes) await f.close();
      await t.close();
    },
  };
}
