import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * A Referloop workspace: the hub's address and a secret API key (`rl_sk_…`), sent as a bearer
 * token on every request. n8n checks it with `GET /v1/me`, which answers the key's workspace.
 */
export class ReferloopApi implements ICredentialType {
	name = 'referloopApi';

	displayName = 'Referloop API';

	icon: Icon = { light: 'file:../icons/referloop.svg', dark: 'file:../icons/referloop.dark.svg' };

	documentationUrl = 'https://github.com/referloop/referloop/tree/main/n8n-nodes#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Hub URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://referrals.example.com',
			required: true,
			description: 'Where your Referloop hub answers, without /v1',
		},
		{
			displayName: 'Secret API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'rl_sk_…',
			required: true,
			description:
				'A secret key of the workspace: printed on the hub\'s first start, or made with "referloop keys create --name n8n"',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/me',
			method: 'GET',
		},
	};
}
