import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { INode } from 'n8n-workflow';
import { testCredential } from './harness/credential-test';
import { packageSourceDir } from './harness/build';
import { addReferral, createCampaign } from './harness/fixtures';
import { runReferloopNode } from './harness/run-workflow';
import { startN8nTestBed, type N8nTestBed } from './harness/setup';

let bed: N8nTestBed;

beforeAll(async () => {
	bed = await startN8nTestBed();
});

afterAll(async () => {
	await bed?.close();
});

describe('n8n-nodes-referloop as a community package', () => {
	it('declares itself the way n8n finds and installs community nodes', () => {
		const pkg = JSON.parse(readFileSync(path.join(packageSourceDir, 'package.json'), 'utf8'));
		expect(pkg.name).toBe('n8n-nodes-referloop');
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.files).toEqual(['dist']);
	});

	it("loads through n8n-core's package loader with both nodes, the credential and light/dark icons", () => {
		const { loader } = bed.pkg;
		expect(Object.keys(loader.nodeTypes).sort()).toEqual(['referloop', 'referloopTrigger']);
		expect(Object.keys(loader.credentialTypes)).toEqual(['referloopApi']);
		expect(loader.known.credentials.referloopApi.supportedNodes).toEqual(['referloop', 'referloopTrigger']);
		const icons = [
			bed.pkg.nodeType('referloop').description.iconUrl,
			bed.pkg.nodeType('referloopTrigger').description.iconUrl,
			bed.pkg.credentialTypes.referloopApi.iconUrl,
		];
		for (const iconUrl of icons) {
			expect(iconUrl).toEqual({ light: expect.stringMatching(/referloop\.svg$/), dark: expect.stringMatching(/referloop\.dark\.svg$/) });
			if (typeof iconUrl !== 'object') continue;
			for (const url of [iconUrl.light, iconUrl.dark]) {
				// n8n serves icons/<package>/<path inside the package>.
				const file = path.join(loader.directory, url.replace(`icons/${bed.pkg.packageName}/`, ''));
				expect(readFileSync(file, 'utf8')).toMatch(/^<svg /);
			}
		}
	});

	it('passes the credential test with the workspace key and fails it with a wrong one', async () => {
		const good = await testCredential(bed, 'referloopApi', { baseUrl: `${bed.hub.url}/`, apiKey: bed.hub.secretKey });
		expect(good[0].json).toMatchObject({ object: 'workspace', id: bed.hub.workspaceId });

		const refused = { name: 'NodeApiError', httpCode: '401', message: 'Authorization failed - please check your credentials' };
		await expect(testCredential(bed, 'referloopApi', { baseUrl: bed.hub.url, apiKey: 'rl_sk_wrong' })).rejects.toMatchObject(refused);
		// The publishable key is for the website snippet only.
		const publishable = testCredential(bed, 'referloopApi', { baseUrl: bed.hub.url, apiKey: bed.hub.publishableKey });
		await expect(publishable).rejects.toMatchObject({ name: 'NodeApiError' });
	});

	it('passes n8n-node lint', () => {
		const bin = path.join(packageSourceDir, '..', 'node_modules', '.bin', 'n8n-node');
		expect(existsSync(bin)).toBe(true);
		// Jest's NODE_ENV=test switches eslint-plugin-n8n-nodes-base to its own fixture file names.
		const { NODE_ENV: _jestEnv, ...env } = process.env;
		const output = execFileSync(bin, ['lint'], { cwd: packageSourceDir, encoding: 'utf8', env: { ...env, FORCE_COLOR: '0' } });
		expect(output).not.toMatch(/error/i);
	});
});

describe("the README's example workflow", () => {
	const readme = readFileSync(path.join(packageSourceDir, 'README.md'), 'utf8');
	const section = readme.slice(readme.indexOf('## Example workflow'));
	const json = /```json\n([\s\S]*?)```/.exec(section)?.[1];
	const workflow: { nodes: INode[] } = JSON.parse(json ?? '{}');
	const qualifyNode = workflow.nodes.find((n) => n.type === 'n8n-nodes-referloop.referloop');

	it('qualifies the referral from a won HubSpot deal, once per deal', async () => {
		expect(qualifyNode).toBeDefined();
		const campaignId = await createCampaign(bed.hub, 'HubSpot deals');
		const { friend } = await addReferral(bed.hub, campaignId, 'hubspot-friend@example.com');
		// What HubSpot's "Get deal" outputs with propertyMode valueOnly.
		const deal = { dealId: 9001, properties: { referral_code: { value: friend.code } } };

		const first = await runReferloopNode(bed, qualifyNode?.parameters ?? {}, { input: [{ json: deal }] });
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({ changed: true, referral: { id: friend.id, referral_status: 'qualified' } });

		const retried = await runReferloopNode(bed, qualifyNode?.parameters ?? {}, { input: [{ json: deal }] });
		expect(retried.items[0].json).toMatchObject({ changed: false, referral: { id: friend.id } });
	});

	it('fails a deal without a referral code with the hub message naming the code', async () => {
		const { error } = await runReferloopNode(bed, qualifyNode?.parameters ?? {}, { input: [{ json: { dealId: 9002, properties: {} } }] });
		expect(error).toMatchObject({ name: 'NodeApiError', httpCode: '400' });
		expect(error?.description).toMatch(/^.+\(code: /);
	});
});
