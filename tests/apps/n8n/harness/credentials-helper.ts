import type { Credentials } from 'n8n-core';
import {
	ICredentialsHelper,
	isExpression,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IDataObject,
	type IHttpRequestOptions,
	type INode,
	type INodeCredentialsDetails,
	type INodeProperties,
	type IRequestOptionsSimplified,
	type Workflow,
} from 'n8n-workflow';

/**
 * The credential store of the harness. `authenticate` does what n8n's own CredentialsHelper does
 * for `IAuthenticateGeneric`: resolve each `={{$credentials…}}` expression with the workflow's
 * expression engine and put the result into the request's headers or query.
 */
export class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: Record<string, ICredentialType>,
		private readonly stored: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		if (!('url' in requestOptions)) throw new Error('the harness authenticates helpers.httpRequest calls only');
		const authenticate = this.credentialTypes[typeName]?.authenticate;
		if (authenticate === undefined) return requestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		const resolve = (value: string) => {
			if (!isExpression(value)) return value;
			const resolved = workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
			return resolved === undefined ? '' : String(resolved);
		};
		const apply = (target: IDataObject | undefined, entries: IDataObject | undefined): IDataObject => {
			const result: IDataObject = { ...(target ?? {}) };
			for (const [key, value] of Object.entries(entries ?? {})) result[resolve(key)] = resolve(String(value));
			return result;
		};
		const { headers, qs, body, auth } = authenticate.properties;
		if (body !== undefined || auth !== undefined) throw new Error('the harness applies header and query authentication only');
		if (headers) requestOptions.headers = apply(requestOptions.headers, headers);
		if (qs) requestOptions.qs = apply(requestOptions.qs, qs);
		return requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<Credentials> {
		throw new Error('the harness hands out decrypted credentials only');
	}

	async getDecrypted(_additionalData: unknown, _nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentialDataDecryptedObject> {
		const data = this.stored[type];
		if (!data) throw new Error(`no ${type} credentials in this test`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.credentialTypes[type]?.properties ?? [];
	}
}
