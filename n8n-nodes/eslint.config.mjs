import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// The trigger verifies Referloop-Signature with node:crypto (HMAC-SHA256, constant-time compare),
// which n8n Cloud's import allow-list forbids; self-hosted n8n loads it as is.
export default configWithoutCloudSupport;
