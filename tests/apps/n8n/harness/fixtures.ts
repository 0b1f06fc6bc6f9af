import type { TestHub } from '../../../support/hub';

/** Arrange through the hub's public API, the way a customer's app would. */

const noFraudChecks = { self_referral: false, duplicate_email: false, same_ip: false, disposable_email: false };

export async function createCampaign(hub: TestHub, name: string, extra: Record<string, unknown> = {}): Promise<string> {
	const res = await hub.api<{ id: string }>('/v1/campaigns', {
		body: { name, destination_url: 'https://shop.example.com', fraud: noFraudChecks, ...extra },
	});
	if (res.status !== 201) throw new Error(`campaign not created: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body.id;
}

/** A campaign whose referrer earns a 10.00 USD credit per qualified referral, approved by a person. */
export async function createRewardingCampaign(hub: TestHub, name: string): Promise<string> {
	return createCampaign(hub, name, {
		reward_rules: [
			{ trigger: 'each_qualified', recipient: 'referrer', kind: 'credit', amount: 1000, currency: 'USD', approval: 'manual' },
		],
	});
}

export interface ParticipantRef {
	id: string;
	code: string;
	email: string;
}

export async function addParticipant(
	hub: TestHub,
	campaignId: string,
	email: string,
	extra: Record<string, unknown> = {},
): Promise<ParticipantRef> {
	const res = await hub.api<ParticipantRef>('/v1/participants', { body: { campaign_id: campaignId, email, ...extra } });
	if (res.status !== 201) throw new Error(`participant not created: ${res.status} ${JSON.stringify(res.body)}`);
	return { id: res.body.id, code: res.body.code, email };
}

/** A referrer and one friend they referred (referral_status pending). */
export async function addReferral(hub: TestHub, campaignId: string, friendEmail: string, referrer?: ParticipantRef) {
	const owner = referrer ?? (await addParticipant(hub, campaignId, `owner-of-${friendEmail}`));
	const friend = await addParticipant(hub, campaignId, friendEmail, { referrer_code: owner.code });
	return { referrer: owner, friend };
}
