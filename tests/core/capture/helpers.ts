import type { TestHub } from '../../support/hub';

/** A live campaign through the API; `overrides` are merged into the create body. */
export async function createCampaign(t: TestHub, overrides: Record<string, unknown> = {}) {
  const res = await t.api('/v1/campaigns', { body: { name: 'Friends', destination_url: 'https://shop.example.com/welcome', ...overrides } });
  if (res.status !== 201) throw new Error(`campaign: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; inbound_webhook_url: string; [k: string]: any };
}

/** A participant through the API (referred when `referrer_code` is given). */
export async function addParticipant(t: TestHub, campaignId: string, email: string, extra: Record<string, unknown> = {}) {
  const res = await t.api('/v1/participants', { body: { campaign_id: campaignId, email, ...extra } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`participant: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; code: string; referral_status: string | null; type: string; [k: string]: any };
}

/** Every event of a type, oldest first, straight from the outbox table. */
export async function eventsOfType(t: TestHub, type: string): Promise<Array<{ id: string; data: any }>> {
  return t.hub.db.query('SELECT id, data FROM events WHERE workspace_id = $1 AND type = $2 ORDER BY seq', [t.workspaceId, type]);
}
