import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { testCredential } from './harness/credential-test';
import { packageSourceDir } from './harness/build';
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

		await expect(testCredential(bed, 'referloopApi', { baseUrl: bed.hub.url, apiKey: 'rl_sk_wrong' })).rejects.toMatchObject({
			name: 'NodeApiError',
			httpCode: '401',
		});
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
