/**
 * A short, realistic run through the whole referral loop over the public API that emits every event
 * type once or more. It produces the sample payloads in ./samples (see generate-samples.ts) and the
 * test that checks those samples against what a hub really sends runs it again.
 */

import { z } from 'zod';

type Call = (path: string, body?: unknown, method?: string) => Promise<{ status: number; body: unknown }>;

const withId = z.object({ id: z.string() });
const participant = z.object({ id: z.string(), code: z.string() });
const qualifyResult = z.object({ rewards: z.array(z.object({ id: z.string(), recipient: z.enum(['referrer', 'friend']) })) });

/** An API caller for a hub at `baseUrl` with a secret key. */
export function apiCaller(baseUrl: string, secretKey: string): Call {
  return async (path, body, method) => {
    const res = await fetch(baseUrl + path, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${secretKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  };
}

function must<S extends z.ZodType>(res: { status: number; body: unknown }, what: string, schema: S): z.infer<S> {
  if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return schema.parse(res.body);
}

/**
 * Run the scenario. `goneUrl` must answer 410 (it ends with `webhook_endpoint.disabled`). Resolves
 * once every event type is in the feed.
 */
export async function runSampleScenario(call: Call, goneUrl: string): Promise<void> {
  const campaign = must(
    await call('/v1/campaigns', {
      name: 'Spring referral program',
      destination_url: 'https://shop.example.com/welcome',
      reward_rules: [
        { name: 'Referrer credit', trigger: 'each_qualified', recipient: 'referrer', kind: 'credit', amount: 1000, currency: 'USD' },
        { name: 'Friend discount', trigger: 'each_qualified', recipient: 'friend', kind: 'coupon', percent_off: 15, approval: 'manual' },
      ],
    }),
    'campaign',
    withId,
  );
  must(await call('/v1/webhooks', { url: goneUrl, events: ['participant.created'], description: 'Old Zap' }), 'webhook', withId);
  const anna = must(
    await call('/v1/participants', { campaign_id: campaign.id, email: 'anna@example.com', first_name: 'Anna', last_name: 'Advocate', external_id: 'crm-1001' }),
    'referrer',
    participant,
  );
  const fran = must(
    await call('/v1/participants', {
      campaign_id: campaign.id,
      email: 'fran@example.com',
      first_name: 'Fran',
      last_name: 'Friend',
      referrer_code: anna.code,
      metadata: { plan: 'pro' },
    }),
    'friend',
    participant,
  );
  must(await call('/v1/participants', { campaign_id: campaign.id, email: 'gil@mailinator.com', first_name: 'Gil', referrer_code: anna.code }), 'flagged friend', withId);
  must(
    await call('/v1/conversions', { participant_id: fran.id, event: 'purchase', amount: 4999, currency: 'USD', transaction_id: 'order_1042' }),
    'conversion',
    withId,
  );
  const qualified = must(await call('/v1/referrals/qualify', { code: fran.code, reason: 'First order paid' }), 'qualify', qualifyResult);
  const referrerReward = qualified.rewards.find((r) => r.recipient === 'referrer');
  const friendReward = qualified.rewards.find((r) => r.recipient === 'friend');
  if (!referrerReward || !friendReward) throw new Error('qualify: expected a referrer and a friend reward');
  must(await call(`/v1/rewards/${friendReward.id}/approve`, {}), 'approve', withId);
  must(await call(`/v1/rewards/${referrerReward.id}/issue`, { external_id: 'credit_note_77' }), 'issue', withId);
  must(await call('/v1/referrals/unqualify', { code: fran.code, reason: 'Order refunded' }), 'unqualify', z.object({ changed: z.boolean() }));
}
