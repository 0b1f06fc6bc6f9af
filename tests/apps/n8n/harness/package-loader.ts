import { PackageDirectoryLoader } from 'n8n-core';
import { NodeHelpers, type ICredentialType, type INodeType, type INodeTypes } from 'n8n-workflow';

/** The community package as n8n loads it: its package.json `n8n` section, through n8n-core's loader. */
export interface LoadedPackage {
	packageName: string;
	loader: PackageDirectoryLoader;
	nodeTypes: INodeTypes;
	credentialTypes: Record<string, ICredentialType>;
	nodeType(shortName: string): INodeType;
}

export async function loadCommunityPackage(dir: string): Promise<LoadedPackage> {
	const loader = new PackageDirectoryLoader(dir);
	await loader.loadAll();
	const { packageName } = loader;
	// n8n names community nodes "<package>.<node>" (e.g. n8n-nodes-referloop.referloop).
	const byFullName = (fullName: string) => {
		const prefix = `${packageName}.`;
		const entry = fullName.startsWith(prefix) ? loader.nodeTypes[fullName.slice(prefix.length)] : undefined;
		if (!entry) throw new Error(`unknown node type ${fullName}`);
		return entry.type;
	};
	const nodeTypes: INodeTypes = {
		getByName: byFullName,
		getByNameAndVersion: (fullName, version) => NodeHelpers.getVersionedNodeType(byFullName(fullName), version),
		getKnownTypes: () => loader.known.nodes,
	};
	const credentialTypes: Record<string, ICredentialType> = {};
	for (const [name, entry] of Object.entries(loader.credentialTypes)) credentialTypes[name] = entry.type;
	return {
		packageName,
		loader,
		nodeTypes,
		credentialTypes,
		nodeType: (shortName) => NodeHelpers.getVersionedNodeType(byFullName(`${packageName}.${shortName}`)),
	};
}
