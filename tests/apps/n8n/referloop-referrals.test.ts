import { addParticipant, addReferral, createCampaign, createRewardingCampaign } from './harness/fixtures';
import { runReferloopNode } from './harness/run-workflow';
import { startN8nTestBed, type N8nTestBed } from './harness/setup';

let bed: N8nTestBed;
let campaignId: string;

beforeAll(async () => {
	bed = await startN8nTestBed();
	campaignId = await createRewardingCampaign(bed.hub, 'Deals won');
});

afterAll(async () => {
	await bed?.close();
});

const statusOf = async (participantId: string) => (await bed.hub.api(`/v1/participants/${participantId}`)).body.referral_status;

describe('Referloop node: referrals', () => {
	it('qualifies a referral with its code and answers the rewards it earned', async () => {
		const { friend, referrer } = await addReferral(bed.hub, campaignId, 'won-deal@example.com');
		const { items, error } = await runReferloopNode(bed, {
			resource: 'referral',
			operation: 'qualifyWithCode',
			code: friend.code,
			options: { reason: 'HubSpot deal won', idempotencyKey: 'deal-1001' },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			changed: true,
			referral: { id: friend.id, referral_status: 'qualified' },
			rewards: [{ object: 'reward', participant_id: referrer.id, status: 'pending', amount: 1000, currency: 'USD' }],
		});
		expect(await statusOf(friend.id)).toBe('qualified');

		const again = await runReferloopNode(bed, { resource: 'referral', operation: 'qualifyWithCode', code: friend.code });
		expect(again.items[0].json).toMatchObject({ changed: false, rewards: [] });
	});

	it('qualifies a referral by email in a campaign', async () => {
		const { friend } = await addReferral(bed.hub, campaignId, 'by-email@example.com');
		const { items } = await runReferloopNode(bed, {
			resource: 'referral',
			operation: 'qualifyByEmail',
			campaignId,
			email: 'by-email@example.com',
			options: { source: 'hubspot' },
		});
		expect(items[0].json).toMatchObject({ changed: true, referral: { id: friend.id, referral_status: 'qualified' } });
	});

	it('unqualifies by code, by email and by participant ID', async () => {
		const byCode = await addReferral(bed.hub, campaignId, 'refund-code@example.com');
		const byEmail = await addReferral(bed.hub, campaignId, 'refund-email@example.com');
		const byId = await addReferral(bed.hub, campaignId, 'refund-id@example.com');
		for (const { friend } of [byCode, byEmail, byId]) {
			await bed.hub.api('/v1/referrals/qualify', { body: { participant_id: friend.id } });
		}
		const runs = [
			await runReferloopNode(bed, { resource: 'referral', operation: 'unqualify', findBy: 'code', code: byCode.friend.code }),
			await runReferloopNode(bed, { resource: 'referral', operation: 'unqualify', findBy: 'email', campaignId, email: byEmail.friend.email }),
			await runReferloopNode(bed, {
				resource: 'referral',
				operation: 'unqualify',
				findBy: 'participantId',
				participantId: byId.friend.id,
				options: { reason: 'refunded' },
			}),
		];
		for (const [index, run] of runs.entries()) {
			const friend = [byCode, byEmail, byId][index].friend;
			expect(run.items[0].json).toMatchObject({ changed: true, referral: { id: friend.id, referral_status: 'unqualified' } });
			expect(await statusOf(friend.id)).toBe('unqualified');
		}
		// The credit the qualification earned is voided with it.
		expect(runs[2].items[0].json).toMatchObject({ rewards: [{ status: 'declined' }] });
	});

	it('reports qualifying someone who was not referred as the hub 409 detail', async () => {
		const direct = await addParticipant(bed.hub, campaignId, 'direct@example.com');
		const { items, error } = await runReferloopNode(bed, { resource: 'referral', operation: 'qualifyWithCode', code: direct.code });
		expect(items).toHaveLength(0);
		const hubAnswer = await bed.hub.api('/v1/referrals/qualify', { body: { code: direct.code } });
		expect(hubAnswer.body).toMatchObject({ status: 409, code: 'not_referred' });
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '409', message: hubAnswer.body.title, description: hubAnswer.body.detail });
	});

	it('turns a failing item into an error item with continue-on-fail and still runs the others', async () => {
		const first = await addReferral(bed.hub, campaignId, 'batch-1@example.com');
		const third = await addReferral(bed.hub, campaignId, 'batch-3@example.com');
		const input = [{ json: { code: first.friend.code } }, { json: { code: 'NOT-A-CODE' } }, { json: { code: third.friend.code } }];
		const parameters = { resource: 'referral', operation: 'qualifyWithCode', code: '={{ $json.code }}' };

		const strict = await runReferloopNode(bed, parameters, { input });
		expect(strict.items).toHaveLength(0);
		expect(strict.error).toMatchObject({ name: 'NodeApiError', httpCode: '404', context: { itemIndex: 1 } });
		expect(strict.error?.description).toContain("'NOT-A-CODE'");

		const lenient = await runReferloopNode(bed, parameters, { input, continueOnFail: true });
		expect(lenient.error).toBeUndefined();
		expect(lenient.items).toHaveLength(3);
		expect(lenient.items[0].json).toMatchObject({ referral: { id: first.friend.id, referral_status: 'qualified' } });
		expect(lenient.items[1].json).toEqual({ error: 'Not found' });
		expect(lenient.items[1].error).toMatchObject({ httpCode: '404', description: expect.stringContaining("'NOT-A-CODE'") });
		expect(lenient.items[2].json).toMatchObject({ referral: { id: third.friend.id, referral_status: 'qualified' } });
	});
});

describe('Referloop node: rewards', () => {
	const earnReward = async (email: string): Promise<string> => {
		const { friend } = await addReferral(bed.hub, campaignId, email);
		const res = await bed.hub.api('/v1/referrals/qualify', { body: { code: friend.code } });
		return res.body.rewards[0].id;
	};

	it('lists rewards waiting for approval, across pages', async () => {
		const ids = [await earnReward('pending-1@example.com'), await earnReward('pending-2@example.com')];
		const { items } = await runReferloopNode(bed, {
			resource: 'reward',
			operation: 'getAll',
			returnAll: true,
			pageSize: 1,
			filters: { status: 'pending', campaignId },
		});
		const pending = await bed.hub.api(`/v1/rewards?status=pending&campaign_id=${campaignId}&limit=100`);
		expect(items.map((i) => i.json.id)).toEqual(pending.body.data.map((r: { id: string }) => r.id));
		expect(items.map((i) => i.json.id)).toEqual(expect.arrayContaining(ids));
		expect(items.every((i) => i.json.status === 'pending')).toBe(true);
	});

	it('approves a reward and marks it issued', async () => {
		const rewardId = await earnReward('payout@example.com');
		const approved = await runReferloopNode(bed, { resource: 'reward', operation: 'approve', rewardId, options: { reason: 'checked' } });
		expect(approved.items[0].json).toMatchObject({ id: rewardId, status: 'approved' });
		const issued = await runReferloopNode(bed, {
			resource: 'reward',
			operation: 'issue',
			rewardId,
			options: { externalId: 'payout-77', rewardCode: 'THANKS-10' },
		});
		expect(issued.items[0].json).toMatchObject({ id: rewardId, status: 'issued', external_id: 'payout-77', reward_code: 'THANKS-10' });
		expect(issued.items[0].json.issued_at).toEqual(expect.any(String));
	});

	it('declines a reward, and reports an invalid transition as the hub 409 detail', async () => {
		const rewardId = await earnReward('declined@example.com');
		const declined = await runReferloopNode(bed, { resource: 'reward', operation: 'decline', rewardId, options: { reason: 'self-referral' } });
		expect(declined.items[0].json).toMatchObject({ id: rewardId, status: 'declined', reason: 'self-referral' });

		const issue = await runReferloopNode(bed, { resource: 'reward', operation: 'issue', rewardId });
		expect(issue.error).toMatchObject({ name: 'NodeApiError', httpCode: '409', description: 'Cannot issue a reward that is declined' });
	});
});

describe('Referloop node: conversions', () => {
	let goalCampaign: string;

	beforeAll(async () => {
		goalCampaign = await createCampaign(bed.hub, 'Purchases qualify', { goal: { event: 'purchase', min_amount: 2000, currency: 'USD' } });
	});

	it('tracks a purchase by email, once per transaction ID, and the campaign goal qualifies the referral', async () => {
		const { friend } = await addReferral(bed.hub, goalCampaign, 'buyer@example.com');
		const parameters = {
			resource: 'conversion',
			operation: 'track',
			event: 'purchase',
			identifyBy: 'email',
			identifier: 'buyer@example.com',
			additionalFields: { campaignId: goalCampaign, amount: 4999, currency: 'usd', transactionId: 'order-1', metadata: '{"sku": "PRO"}' },
		};
		const first = await runReferloopNode(bed, parameters);
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({
			object: 'conversion',
			participant_id: friend.id,
			event: 'purchase',
			amount: 4999,
			currency: 'USD',
			transaction_id: 'order-1',
			metadata: { sku: 'PRO' },
		});
		expect(await statusOf(friend.id)).toBe('qualified');

		const repeat = await runReferloopNode(bed, parameters);
		expect(repeat.items[0].json.id).toBe(first.items[0].json.id);
	});

	it('tracks an event by referral code', async () => {
		const someone = await addParticipant(bed.hub, goalCampaign, 'coder@example.com');
		const { items } = await runReferloopNode(bed, {
			resource: 'conversion',
			operation: 'track',
			event: 'signup',
			identifyBy: 'code',
			identifier: someone.code,
		});
		expect(items[0].json).toMatchObject({ participant_id: someone.id, event: 'signup', amount: null });
	});

	it('names the missing currency when an amount is sent alone', async () => {
		const { error } = await runReferloopNode(bed, {
			resource: 'conversion',
			operation: 'track',
			event: 'purchase',
			identifyBy: 'email',
			identifier: 'buyer@example.com',
			additionalFields: { amount: 100 },
		});
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '400' });
		expect(error?.description).toContain('currency: is required with amount');
	});
});
