import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * makecomapp.json, the project file of Make's apps editor (VS Code extension) for local development.
 * Its JSON schema is Make's own (makecomapp.schema.json); this zod schema reads the parts the deploy
 * script needs and keeps every other field as it is, so writing the file back loses nothing.
 */
export const manifestFileName = 'makecomapp.json';

export const moduleTypes = ['action', 'instant_trigger', 'responder', 'search', 'trigger', 'universal'] as const;
export type ModuleType = (typeof moduleTypes)[number];

export const componentMetaSchema = z.looseObject({
  label: z.string().optional(),
  description: z.string().optional(),
  moduleType: z.enum(moduleTypes).optional(),
  actionCrud: z.enum(['create', 'delete', 'read', 'update']).nullable().optional(),
  connection: z.string().nullable().optional(),
  altConnection: z.string().nullable().optional(),
  webhook: z.string().nullable().optional(),
  connectionType: z.enum(['basic', 'oauth']).optional(),
  webhookType: z.enum(['web', 'web-shared']).optional(),
  codeFiles: z.record(z.string(), z.string().nullable()),
});
export type ComponentMeta = z.infer<typeof componentMetaSchema>;

export const componentTypes = ['connection', 'webhook', 'module', 'rpc', 'function', 'endpoint'] as const;
export type ComponentType = (typeof componentTypes)[number];

const componentsSchema = z.record(z.string(), componentMetaSchema.nullable());
const idMappingItemSchema = z.looseObject({ local: z.string().nullable(), remote: z.string().nullable() });
const idMappingSchema = z.object({
  connection: z.array(idMappingItemSchema),
  webhook: z.array(idMappingItemSchema),
  module: z.array(idMappingItemSchema),
  rpc: z.array(idMappingItemSchema),
  function: z.array(idMappingItemSchema),
  endpoint: z.array(idMappingItemSchema),
});
export type IdMapping = z.infer<typeof idMappingSchema>;

export const originSchema = z.looseObject({
  label: z.string().optional(),
  baseUrl: z.string(),
  appId: z.string(),
  appVersion: z.number(),
  apikeyFile: z.string(),
  idMapping: idMappingSchema.optional(),
});
export type Origin = z.infer<typeof originSchema>;

export const manifestSchema = z.looseObject({
  fileVersion: z.number(),
  generalCodeFiles: z.object({ base: z.string().nullable(), common: z.string().nullable(), groups: z.string().nullable(), readme: z.string().nullable() }),
  components: z.object({
    connection: componentsSchema,
    webhook: componentsSchema,
    module: componentsSchema,
    rpc: componentsSchema,
    function: componentsSchema,
    endpoint: componentsSchema,
  }),
  origins: z.array(originSchema).min(1),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** Read and check makecomapp.json of an app directory. */
export function readManifest(appDir: string): Manifest {
  const text = readFileSync(join(appDir, manifestFileName), 'utf8');
  return manifestSchema.parse(JSON.parse(text));
}

/** Write makecomapp.json back in the editor's formatting (4 spaces, trailing newline). */
export function writeManifest(appDir: string, manifest: Manifest): void {
  writeFileSync(join(appDir, manifestFileName), JSON.stringify(manifest, null, 4) + '\n');
}

/** An empty id mapping, for an origin that has none yet. */
export function emptyIdMapping(): IdMapping {
  return { connection: [], webhook: [], module: [], rpc: [], function: [], endpoint: [] };
}
