// GET /v1/me – the workspace of the presented key (credential check for Zapier, Make and n8n)
import { z } from 'zod';
import { getWorkspace } from '../../../domain/workspaces';
import { notFound } from '../../../lib/errors';
import { defineRoute } from '../../route';

export const workspaceSchema = z.object({ id: z.string(), object: z.literal('workspace'), name: z.string(), created_at: z.string() });

export const meRoutes = [
  defineRoute({
    method: 'get',
    path: '/v1/me',
    summary: 'The workspace of this API key',
    tags: ['Workspace'],
    auth: 'secret',
    response: workspaceSchema,
    async handler({ hub, workspaceId }) {
      const ws = await getWorkspace(hub.db, workspaceId);
      if (!ws) throw notFound('workspace', workspaceId);
      return { id: ws.id, object: 'workspace', name: ws.name, created_at: ws.created_at.toISOString() };
    },
  }),
];
