import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { type ComponentMeta, type ComponentType, componentTypes, type Manifest, manifestSchema } from '../../../../make-app/deploy/manifest';

/** Where the app lives, relative to this file (tests run from the repo root, but keep paths explicit). */
export const makeAppDir = join(__dirname, '..', '..', '..', '..', 'make-app');

export { componentTypes, type ComponentType } from '../../../../make-app/deploy/manifest';

/** One component with its code files read and parsed (JSON code files only). */
export interface LoadedComponent {
  id: string;
  meta: ComponentMeta;
  codes: Record<string, unknown>;
}

/** The app as the evaluator sees it. */
export interface LoadedApp {
  dir: string;
  manifest: Manifest;
  base: Record<string, unknown>;
  common: Record<string, unknown>;
  components: Record<ComponentType, Record<string, LoadedComponent>>;
}

export function readJsonFile(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  return z.record(z.string(), z.unknown()).parse(value, { error: () => `${what} must be a JSON object` });
}

/** Read makecomapp.json and every code file it names. */
export function loadApp(dir: string = makeAppDir): LoadedApp {
  const manifest = manifestSchema.parse(readJsonFile(join(dir, 'makecomapp.json')));
  const components = {} as Record<ComponentType, Record<string, LoadedComponent>>;
  for (const type of componentTypes) {
    components[type] = {};
    for (const [id, meta] of Object.entries(manifest.components[type])) {
      if (!meta) continue;
      const codes: Record<string, unknown> = {};
      for (const [codeType, file] of Object.entries(meta.codeFiles)) {
        if (file && file.endsWith('.json')) codes[codeType] = readJsonFile(join(dir, file));
      }
      components[type][id] = { id, meta, codes };
    }
  }
  const { base, common } = manifest.generalCodeFiles;
  return {
    dir,
    manifest,
    base: base ? asRecord(readJsonFile(join(dir, base)), 'base') : {},
    common: common ? asRecord(readJsonFile(join(dir, common)), 'common') : {},
    components,
  };
}

/** A component by type and local id, or a test failure naming it. */
export function component(app: LoadedApp, type: ComponentType, id: string): LoadedComponent {
  const c = app.components[type][id];
  if (!c) throw new Error(`makecomapp.json has no ${type} "${id}"`);
  return c;
}
