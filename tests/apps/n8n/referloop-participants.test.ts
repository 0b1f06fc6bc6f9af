import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type INode } from 'n8n-workflow';
import { addParticipant, addReferral, createCampaign } from './harness/fixtures';
import { createAdditionalData } from './harness/additional-data';
import { runReferloopNode } from './harness/run-workflow';
import { startN8nTestBed, type N8nTestBed } from './harness/setup';

let bed: N8nTestBed;
let campaignId: string;

beforeAll(async () => {
	bed = await startN8nTestBed();
	campaignId = await createCampaign(bed.hub, 'Spring referrals');
});

afterAll(async () => {
	await bed?.close();
});

describe('Referloop node: participants', () => {
	it('creates a participant with names and JSON metadata', async () => {
		const { items, error } = await runReferloopNode(bed, {
			resource: 'participant',
			operation: 'create',
			campaignId,
			email: 'ann@example.com',
			additionalFields: { firstName: 'Ann', lastName: 'Lee', externalId: 'crm-1', metadata: '{"plan": "pro", "seats": 3}' },
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(items[0].json).toMatchObject({
			object: 'participant',
			campaign_id: campaignId,
			email: 'ann@example.com',
			name: 'Ann Lee',
			external_id: 'crm-1',
			type: 'direct',
			metadata: { plan: 'pro', seats: 3 },
		});
		expect(items[0].json.referral_link).toEqual(expect.stringContaining(`/r/${String(items[0].json.code)}`));
	});

	it('returns the existing participant when the email is already in the campaign', async () => {
		const first = await addParticipant(bed.hub, campaignId, 'repeat@example.com');
		const { items } = await runReferloopNode(bed, { resource: 'participant', operation: 'create', campaignId, email: 'Repeat@Example.com' });
		expect(items[0].json).toMatchObject({ id: first.id, code: first.code });
	});

	it('creates a referred participant from the referrer code', async () => {
		const referrer = await addParticipant(bed.hub, campaignId, 'referrer@example.com');
		const { items } = await runReferloopNode(bed, {
			resource: 'participant',
			operation: 'create',
			campaignId,
			email: 'friend@example.com',
			additionalFields: { referrerCode: referrer.code },
		});
		expect(items[0].json).toMatchObject({ type: 'referred', referrer_id: referrer.id, referrer_code: referrer.code, referral_status: 'pending' });
	});

	it('stops the item before sending when the metadata is not a JSON object', async () => {
		const { items, error } = await runReferloopNode(bed, {
			resource: 'participant',
			operation: 'create',
			campaignId,
			email: 'bad-metadata@example.com',
			additionalFields: { metadata: '["not", "an", "object"]' },
		});
		expect(items).toHaveLength(0);
		expect(error?.message).toBe('metadata must be a JSON object');
		const lookup = await bed.hub.api(`/v1/participants?email=bad-metadata@example.com&campaign_id=${campaignId}`);
		expect(lookup.body.data).toHaveLength(0);
	});

	it('gets a participant by ID, by referral code and by email', async () => {
		const ben = await addParticipant(bed.hub, campaignId, 'ben@example.com', { first_name: 'Ben' });
		const byId = await runReferloopNode(bed, { resource: 'participant', operation: 'get', getBy: 'idOrCode', participant: ben.id });
		const byCode = await runReferloopNode(bed, { resource: 'participant', operation: 'get', getBy: 'idOrCode', participant: ben.code });
		const byEmail = await runReferloopNode(bed, { resource: 'participant', operation: 'get', getBy: 'email', campaignId, email: 'BEN@example.com' });
		for (const run of [byId, byCode, byEmail]) {
			expect(run.error).toBeUndefined();
			expect(run.items.map((i) => i.json.id)).toEqual([ben.id]);
		}
	});

	it('reports an unknown participant as a NodeApiError carrying the hub detail', async () => {
		const byCode = await runReferloopNode(bed, { resource: 'participant', operation: 'get', participant: 'NO-SUCH-CODE' });
		expect(byCode.error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(byCode.error?.description).toContain("'NO-SUCH-CODE'");
		const byEmail = await runReferloopNode(bed, { resource: 'participant', operation: 'get', getBy: 'email', campaignId, email: 'nobody@example.com' });
		expect(byEmail.error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(byEmail.error?.description).toBe("No participant with email 'nobody@example.com' in this campaign");
	});

	it('updates a participant', async () => {
		const cleo = await addParticipant(bed.hub, campaignId, 'cleo@example.com');
		const { items } = await runReferloopNode(bed, {
			resource: 'participant',
			operation: 'update',
			participantId: cleo.id,
			updateFields: { firstName: 'Cleo', externalId: 'crm-42', metadata: '{"tier": "gold"}' },
		});
		expect(items[0].json).toMatchObject({ id: cleo.id, first_name: 'Cleo', external_id: 'crm-42', metadata: { tier: 'gold' } });
		const stored = await bed.hub.api(`/v1/participants/${cleo.id}`);
		expect(stored.body).toMatchObject({ first_name: 'Cleo', external_id: 'crm-42' });
	});

	it('names the field the hub rejected', async () => {
		const dan = await addParticipant(bed.hub, campaignId, 'dan@example.com');
		const { error } = await runReferloopNode(bed, {
			resource: 'participant',
			operation: 'update',
			participantId: dan.id,
			updateFields: { email: 'not-an-email' },
		});
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '400' });
		expect(error?.description).toContain('email: must be a valid email address');
	});
});

describe('Referloop node: listing participants', () => {
	let listCampaign: string;
	// More than the hub's default page (25), so one request could never return them all.
	const emails = Array.from({ length: 30 }, (_, i) => `list-${i}@example.com`);

	beforeAll(async () => {
		listCampaign = await createCampaign(bed.hub, 'Listing');
		for (const email of emails.slice(0, -1)) await addParticipant(bed.hub, listCampaign, email);
		await addReferral(bed.hub, listCampaign, emails[emails.length - 1], await addParticipant(bed.hub, listCampaign, 'list-owner@example.com'));
	});

	it('returns all pages, following next_cursor', async () => {
		const { items, error } = await runReferloopNode(bed, {
			resource: 'participant',
			operation: 'getAll',
			returnAll: true,
			pageSize: 7,
			filters: { campaignId: listCampaign },
		});
		expect(error).toBeUndefined();
		const got = items.map((i) => i.json.email);
		expect(got).toHaveLength(31);
		expect(new Set(got)).toEqual(new Set([...emails, 'list-owner@example.com']));
	});

	it('stops at the limit', async () => {
		const { items } = await runReferloopNode(bed, {
			resource: 'participant',
			operation: 'getAll',
			limit: 3,
			filters: { campaignId: listCampaign },
		});
		expect(items).toHaveLength(3);
	});

	it('filters by type and referral status', async () => {
		const { items } = await runReferloopNode(bed, {
			resource: 'participant',
			operation: 'getAll',
			returnAll: true,
			filters: { campaignId: listCampaign, type: 'referred', referralStatus: 'pending' },
		});
		expect(items.map((i) => i.json.email)).toEqual([emails[emails.length - 1]]);
	});
});

describe('Referloop node: campaigns', () => {
	it('lists every campaign across pages, gets one and its stats', async () => {
		const autumn = await createCampaign(bed.hub, 'Autumn referrals');
		await addReferral(bed.hub, autumn, 'stats-friend@example.com');

		const all = await runReferloopNode(bed, { resource: 'campaign', operation: 'getAll', returnAll: true, pageSize: 1 });
		const listed = await bed.hub.api('/v1/campaigns?limit=100');
		expect(all.items.map((i) => i.json.id)).toEqual(listed.body.data.map((c: { id: string }) => c.id));
		expect(all.items.length).toBeGreaterThanOrEqual(2);

		const one = await runReferloopNode(bed, { resource: 'campaign', operation: 'get', campaignId: autumn });
		expect(one.items[0].json).toMatchObject({ object: 'campaign', id: autumn, name: 'Autumn referrals' });

		const stats = await runReferloopNode(bed, { resource: 'campaign', operation: 'getStats', campaignId: autumn });
		const expected = await bed.hub.api(`/v1/campaigns/${autumn}/stats`);
		expect(stats.items[0].json).toEqual(expected.body);
	});

	it('loads the campaigns as options for the pickers', async () => {
		const node: INode = {
			id: 'picker',
			name: 'Referloop',
			type: `${bed.pkg.packageName}.referloop`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { resource: 'participant', operation: 'create' },
			credentials: { referloopApi: { id: 'cred-1', name: 'Referloop account' } },
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: bed.pkg.nodeTypes });
		const context = new LoadOptionsContext(workflow, node, createAdditionalData({ credentialsHelper: bed.credentialsHelper }), 'campaignId');
		const getCampaigns = bed.pkg.nodeType('referloop').methods?.loadOptions?.getCampaigns;
		if (!getCampaigns) throw new Error('the node has no getCampaigns method');
		const options = await getCampaigns.call(context);
		expect(options).toEqual(expect.arrayContaining([{ name: 'Spring referrals (live)', value: campaignId }]));
	});
});
