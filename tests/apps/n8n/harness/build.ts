import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

const repoRoot = path.resolve(__dirname, '../../../..');
export const packageSourceDir = path.join(repoRoot, 'n8n-nodes');

/**
 * Build n8n-nodes the way `n8n-node build` does (tsc with the package's tsconfig, then the icons
 * next to the compiled files) into a private folder, so parallel suites never share a dist/.
 * The folder sits inside the repository so the compiled files resolve n8n-workflow from
 * node_modules exactly as an installed community package does.
 */
export function buildReferloopPackage(): { dir: string; remove(): void } {
	const outRoot = path.join(repoRoot, 'test-output');
	mkdirSync(outRoot, { recursive: true });
	const dir = mkdtempSync(path.join(outRoot, 'n8n-nodes-referloop-'));
	try {
		execFileSync(
			process.execPath,
			[require.resolve('typescript/bin/tsc'), '-p', path.join(packageSourceDir, 'tsconfig.json'), '--outDir', path.join(dir, 'dist')],
			{ stdio: 'pipe' },
		);
	} catch (error) {
		const output = error instanceof Error && 'stdout' in error ? String(error.stdout) : String(error);
		rmSync(dir, { recursive: true, force: true });
		throw new Error(`n8n-nodes does not compile:\n${output}`);
	}
	cpSync(path.join(packageSourceDir, 'icons'), path.join(dir, 'dist', 'icons'), { recursive: true });
	cpSync(path.join(packageSourceDir, 'package.json'), path.join(dir, 'package.json'));
	return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
