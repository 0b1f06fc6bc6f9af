import { createHmac } from 'node:crypto';
import { LoadOptionsContext } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import { createAdditionalData } from './harness/additional-data';
import { addReferral, createCampaign } from './harness/fixtures';
import { startN8nTestBed, type N8nTestBed } from './harness/setup';
import { startTriggerWorkflow, type TriggerWorkflow } from './harness/trigger-workflow';

let bed: N8nTestBed;
let campaignId: string;

beforeAll(async () => {
	bed = await startN8nTestBed();
	campaignId = await createCampaign(bed.hub, 'Trigger campaign');
});

afterAll(async () => {
	await bed?.close();
});

const hubWebhook = (id: unknown) => bed.hub.api(`/v1/webhooks/${String(id)}`);

/** The hub webhook id and secret the trigger keeps in its node's static data. */
function kept(trigger: TriggerWorkflow): { webhookId?: unknown; webhookSecret?: unknown } {
	const data = trigger.staticData()['node:Referloop Trigger'];
	return typeof data === 'object' && data !== null && !Array.isArray(data) ? data : {};
}
const sign = (body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)) =>
	`t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
const post = (url: string, body: string, headers: Record<string, string>) =>
	fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('Referloop Trigger', () => {
	let trigger: TriggerWorkflow;

	beforeAll(async () => {
		trigger = await startTriggerWorkflow(bed, { events: ['referral.qualified'], campaignId });
	});

	afterAll(async () => {
		await trigger?.close();
	});

	it('offers all campaigns or one campaign in its picker', async () => {
		const workflow = new Workflow({ nodes: [trigger.node], connections: {}, active: false, nodeTypes: bed.pkg.nodeTypes });
		const context = new LoadOptionsContext(workflow, trigger.node, createAdditionalData({ credentialsHelper: bed.credentialsHelper }), 'campaignId');
		const getCampaignFilter = bed.pkg.nodeType('referloopTrigger').methods?.loadOptions?.getCampaignFilter;
		if (!getCampaignFilter) throw new Error('the trigger has no getCampaignFilter method');
		expect(await getCampaignFilter.call(context)).toEqual([
			{ name: 'All Campaigns', value: '' },
			{ name: 'Trigger campaign (live)', value: campaignId },
		]);
	});

	it('registers a hub webhook for the chosen events and campaign at the workflow URL on activation', async () => {
		await trigger.activate();
		const { webhookId, webhookSecret } = kept(trigger);
		expect(webhookSecret).toEqual(expect.any(String));
		const endpoint = await hubWebhook(webhookId);
		expect(endpoint.status).toBe(200);
		expect(endpoint.body).toMatchObject({
			object: 'webhook_endpoint',
			url: trigger.webhookUrl,
			events: ['referral.qualified'],
			campaign_id: campaignId,
			enabled: true,
		});
		expect(trigger.webhookUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/webhook/${trigger.node.webhookId}/webhook$`));
	});

	it('keeps the same hub webhook when n8n starts the active workflow again', async () => {
		const before = trigger.staticData()['node:Referloop Trigger'];
		trigger.reload();
		await trigger.activate('init');
		expect(trigger.staticData()['node:Referloop Trigger']).toEqual(before);
		const all = await bed.hub.api('/v1/webhooks?limit=100');
		expect(all.body.data.filter((w: { url: string }) => w.url === trigger.webhookUrl)).toHaveLength(1);
	});

	it('starts the workflow with the event when the hub delivers a qualified referral', async () => {
		const { friend, referrer } = await addReferral(bed.hub, campaignId, 'trigger-friend@example.com');
		const qualified = await bed.hub.api('/v1/referrals/qualify', { body: { code: friend.code } });
		expect(qualified.status).toBe(200);

		const delivery = await trigger.nextDelivery();
		expect(delivery.status).toBe(200);
		expect(delivery.headers['referloop-event-type']).toBe('referral.qualified');
		expect(delivery.run?.error).toBeUndefined();
		expect(delivery.run?.items).toHaveLength(1);
		expect(delivery.run?.items[0].json).toMatchObject({
			id: delivery.headers['referloop-event-id'],
			type: 'referral.qualified',
			campaign_id: campaignId,
			workspace_id: bed.hub.workspaceId,
			data: { id: friend.id, referral_status: 'qualified', referrer: { id: referrer.id, code: referrer.code } },
		});
	});

	it('refuses deliveries that are not signed with the webhook secret, without starting the workflow', async () => {
		const { webhookSecret } = kept(trigger);
		const secret = String(webhookSecret);
		const body = JSON.stringify({ id: 'evt_forged', type: 'referral.qualified', created_at: new Date().toISOString(), workspace_id: 'ws', campaign_id: null, data: { id: 'x' } });
		const tampered = body.replace('"x"', '"attacker"');
		const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
		const attempts: Array<Record<string, string>> = [
			{ 'referloop-signature': sign(body, 'whsec_not_the_secret') },
			{},
			{ 'referloop-signature': 't=1,v1=zz' },
			{ 'referloop-signature': sign(body, secret, tenMinutesAgo) },
		];
		const runsBefore = trigger.deliveries.filter((d) => d.run).length;
		for (const headers of attempts) {
			const res = await post(trigger.webhookUrl, body, headers);
			expect(res.status).toBe(401);
		}
		const altered = await post(trigger.webhookUrl, tampered, { 'referloop-signature': sign(body, secret) });
		expect(altered.status).toBe(401);
		expect(await altered.json()).toEqual({ error: 'Referloop-Signature does not match' });
		expect(trigger.deliveries.filter((d) => d.run).length).toBe(runsBefore);

		// The same body signed with the real secret goes through: the check is not simply closed.
		const genuine = await post(trigger.webhookUrl, body, { 'referloop-signature': sign(body, secret) });
		expect(genuine.status).toBe(200);
		const runs = trigger.deliveries.filter((d) => d.run);
		expect(runs).toHaveLength(runsBefore + 1);
		expect(runs[runs.length - 1].run?.items[0].json).toMatchObject({ id: 'evt_forged' });
	});

	it('replaces the hub webhook when the events change', async () => {
		const { webhookId: oldId } = kept(trigger);
		trigger.reload({ events: ['reward.approved', 'reward.issued'], campaignId: '' });
		await trigger.activate('update');
		const { webhookId: newId } = kept(trigger);
		expect(newId).not.toBe(oldId);
		expect((await hubWebhook(oldId)).status).toBe(404);
		expect((await hubWebhook(newId)).body).toMatchObject({ url: trigger.webhookUrl, events: ['reward.approved', 'reward.issued'], campaign_id: null });
	});

	it('deletes the hub webhook on deactivation', async () => {
		const { webhookId } = kept(trigger);
		await trigger.deactivate();
		expect((await hubWebhook(webhookId)).status).toBe(404);
		expect(trigger.staticData()['node:Referloop Trigger']).toEqual({});
		// A delivery after deactivation has no secret to be checked against.
		const body = JSON.stringify({ id: 'evt_late', type: 'reward.issued', created_at: new Date().toISOString(), data: {} });
		expect((await post(trigger.webhookUrl, body, { 'referloop-signature': sign(body, 'anything') })).status).toBe(401);
	});

	it('replaces a hub webhook that was disabled in Referloop when n8n starts the workflow again', async () => {
		await trigger.activate();
		const { webhookId: disabled } = kept(trigger);
		const patched = await bed.hub.api(`/v1/webhooks/${String(disabled)}`, { method: 'PATCH', body: { enabled: false } });
		expect(patched.body).toMatchObject({ enabled: false });

		await trigger.activate('init');
		const { webhookId: fresh } = kept(trigger);
		expect(fresh).not.toBe(disabled);
		expect((await hubWebhook(disabled)).status).toBe(404);
		expect((await hubWebhook(fresh)).body).toMatchObject({ enabled: true, url: trigger.webhookUrl });
		await trigger.deactivate();
	});

	it('re-creates a hub webhook that was deleted in Referloop, and deactivates cleanly when it is gone', async () => {
		await trigger.activate();
		const { webhookId: first } = kept(trigger);
		expect((await bed.hub.api(`/v1/webhooks/${String(first)}`, { method: 'DELETE' })).status).toBe(204);

		await trigger.activate('init');
		const { webhookId: second } = kept(trigger);
		expect(second).not.toBe(first);
		expect((await hubWebhook(second)).status).toBe(200);

		expect((await bed.hub.api(`/v1/webhooks/${String(second)}`, { method: 'DELETE' })).status).toBe(204);
		await expect(trigger.deactivate()).resolves.toBeUndefined();
		expect(trigger.staticData()['node:Referloop Trigger']).toEqual({});
	});
});
