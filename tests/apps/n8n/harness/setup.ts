import { startTestHub, type TestHub } from '../../../support/hub';
import { buildReferloopPackage } from './build';
import { HarnessCredentialsHelper } from './credentials-helper';
import { loadCommunityPackage } from './package-loader';
import type { HarnessEnv } from './run-workflow';

export interface N8nTestBed extends HarnessEnv {
	hub: TestHub;
	close(): Promise<void>;
}

/**
 * Build and load the package as n8n would, start a real hub, and store a Referloop credential
 * for it (the hub URL gets a trailing slash on purpose: people paste it that way).
 */
export async function startN8nTestBed(): Promise<N8nTestBed> {
	const build = buildReferloopPackage();
	try {
		const pkg = await loadCommunityPackage(build.dir);
		const hub = await startTestHub();
		const credentialsHelper = new HarnessCredentialsHelper(pkg.credentialTypes, {
			referloopApi: { baseUrl: `${hub.url}/`, apiKey: hub.secretKey },
		});
		return {
			pkg,
			hub,
			credentialsHelper,
			async close() {
				await hub.close();
				build.remove();
			},
		};
	} catch (error) {
		build.remove();
		throw error;
	}
}
