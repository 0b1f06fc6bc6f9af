import type { Authentication, Bundle, ZObject } from 'zapier-platform-core';
import { callHub } from './lib/hub';
import { workspaceSchema } from './lib/resources';

/** GET /v1/me answers the key's workspace: proof that the URL and the key both work. */
const test = async (z: ZObject, bundle: Bundle) => callHub(z, bundle, workspaceSchema, { path: '/v1/me' });

/** The workspace name tells connections of several hubs or workspaces apart. */
const connectionLabel = async (_z: ZObject, bundle: Bundle) => {
  const name = bundle.inputData.name;
  return typeof name === 'string' ? name : '';
};

export default {
  type: 'custom',
  fields: [
    {
      key: 'base_url',
      label: 'Referloop URL',
      type: 'string',
      required: true,
      helpText: 'The address of your Referloop hub, for example `https://referloop.example.com` (the part before `/v1`).',
    },
    {
      key: 'api_key',
      label: 'Secret API Key',
      type: 'password',
      required: true,
      helpText: 'A secret key of your workspace (it starts with `rl_sk_`). Create one in Referloop under Settings → API keys.',
    },
  ],
  test,
  connectionLabel,
} satisfies Authentication;
