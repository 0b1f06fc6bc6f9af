import type { TestHub } from './hub';

/** Create a campaign through the API (defaults: live, last click, one 10.00 USD credit per qualified referral). */
export async function createCampaign(t: TestHub, overrides: Record<string, unknown> = {}, key?: string) {
  const res = await t.api('/v1/campaigns', {
    key,
    body: {
      name: 'Friends of Acme',
      destination_url: 'https://acme.example/signup',
      reward_rules: [{ trigger: 'each_qualified', recipient: 'referrer', kind: 'credit', amount: 1000, currency: 'USD' }],
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`campaign not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Add a participant through the API; throws unless it was created or found. */
export async function addParticipant(t: TestHub, body: Record<string, unknown>, key?: string) {
  const res = await t.api('/v1/participants', { key, body });
  if (res.status !== 201 && res.status !== 200) throw new Error(`participant not added: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A referrer and `n` referred friends (through the referrer's code). */
export async function referrerWithFriends(t: TestHub, campaignId: string, n: number, prefix = 'friend') {
  const referrer = await addParticipant(t, { campaign_id: campaignId, email: `${prefix}-referrer@example.com`, first_name: 'Rita' });
  const friends = [];
  for (let i = 0; i < n; i++) {
    friends.push(await addParticipant(t, { campaign_id: campaignId, email: `${prefix}${i}@example.com`, first_name: `F${i}`, referrer_code: referrer.code }));
  }
  return { referrer, friends };
}

/** Follow a referral link without following the redirect; returns the Location and cookie. */
export async function clickLink(link: string, headers: Record<string, string> = {}) {
  const res = await fetch(link, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36', ...headers } });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : null, cookie: res.headers.get('set-cookie'), text: await res.text() };
}
