// GET /v1/integrations/{vendor}/defaults – the settings a connector applies when none are given
import { z } from 'zod';
import { requireConnector } from '../../../integrations/connector-context';
import { settingsDefaults } from '../../../integrations/defaults';
import { vendorParamsSchema } from '../../../schemas/integration';
import { defineRoute } from '../../route';

const defaultsSchema = z.object({
  vendor: z.string(),
  settings: z.record(z.string(), z.unknown()).meta({ description: 'Each setting that has a default, with it; settings the account must choose (a pipeline) are absent' }),
});

export const integrationDefaultsRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/integrations/:vendor/defaults',
    summary: 'Default settings of a connector',
    description: 'What a connector applies where settings leave something out: a starting point for a settings form before the first connect.',
    tags: ['Integrations'],
    auth: 'secret',
    params: vendorParamsSchema,
    response: defaultsSchema,
    async handler({ params }) {
      return { vendor: params.vendor, settings: settingsDefaults(await requireConnector(params.vendor)) };
    },
  }),
];
