/**
 * A short, realistic run through the whole referral loop over the public API that emits every event
 * type once or more. It produces the sample payloads in ./samples (see generate-samples.ts) and the
 * test that checks those samples against what a hub really sends runs it again.
 */

type Call = (path: string, body?: unknown, method?: string) => Promise<{ status: number; body: any }>;

/** An API caller for a hub at `baseUrl` with a secret key. */
export function apiCaller(baseUrl: string, secretKey: string): Call {
  return async (path, body, method) => {
    const res = await fetch(baseUrl + path, {
      method: method ?? (body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${secretKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
}

function must(res: { status: number; body: any }, what: string): any {
  if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
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
  );
  must(await call('/v1/webhooks', { url: goneUrl, events: ['participant.created'], description: 'Old Zap' }), 'webhook');
  const anna = must(
    await call('/v1/participants', { campaign_id: campaign.id, email: 'anna@example.com', first_name: 'Anna', last_name: 'Advocate', external_id: 'crm-1001' }),
    'referrer',
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
  );
  must(await call('/v1/participants', { campaign_id: campaign.id, email: 'gil@mailinator.com', first_name: 'Gil', referrer_code: anna.code }), 'flagged friend');
  must(
    await call('/v1/conversions', { participant_id: fran.id, event: 'purchase', amount: 4999, currency: 'USD', transaction_id: 'order_1042' }),
    'conversion',
  );
  const qualified = must(await call('/v1/referrals/qualify', { code: fran.code, reason: 'First order paid' }), 'qualify');
  const referrerReward = qualified.rewards.find((r: any) => r.recipient === 'referrer');
  const friendReward = qualified.rewards.find((r: any) => r.recipient === 'friend');
  must(await call(`/v1/rewards/${friendReward.id}/approve`, {}), 'approve');
  must(await call(`/v1/rewards/${referrerReward.id}/issue`, { external_id: 'credit_note_77' }), 'issue');
  must(await call('/v1/referrals/unqualify', { code: fran.code, reason: 'Order refunded' }), 'unqualify');
}
