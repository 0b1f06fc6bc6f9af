import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { eventTypes } from '../../../core/src/events/types';
import { functionsUsed, supportedFunctions } from './iml/evaluate';
import { parseTemplate } from './iml/parse';
import { componentTypes, loadApp, makeAppDir } from './runtime/app';
import { listAppFiles } from './support/app-files';

const app = loadApp();
const { manifest } = app;

/** Every code file makecomapp.json names, and where. */
function namedFiles(): Array<{ owner: string; file: string }> {
  const out = Object.entries(manifest.generalCodeFiles).flatMap(([k, f]) => (f ? [{ owner: `general ${k}`, file: f }] : []));
  for (const type of componentTypes) {
    for (const [id, meta] of Object.entries(manifest.components[type])) {
      for (const [code, file] of Object.entries(meta?.codeFiles ?? {})) if (file) out.push({ owner: `${type} ${id} ${code}`, file });
    }
  }
  return out;
}

/** All strings anywhere in a JSON value. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  // `{{...}}` as a key is Make's spread marker, not an expression.
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [...(k === '{{...}}' ? [] : [k]), ...strings(v)]);
  return [];
}

const allCode = namedFiles()
  .filter((f) => f.file.endsWith('.json'))
  .map((f) => ({ ...f, json: JSON.parse(readFileSync(join(makeAppDir, f.file), 'utf8')) as unknown }));

describe('references inside the Make app', () => {
  it('names only code files that exist', () => {
    expect(namedFiles().filter((f) => !existsSync(join(makeAppDir, f.file)))).toEqual([]);
  });

  it('has no file that makecomapp.json does not name', () => {
    const named = new Set(namedFiles().map((f) => f.file));
    expect(listAppFiles(makeAppDir).filter((f) => f !== 'makecomapp.json' && !named.has(f))).toEqual([]);
  });

  it('places code files where the apps editor puts them (one folder per component, kebab-case)', () => {
    for (const type of ['connection', 'webhook', 'module', 'rpc'] as const) {
      for (const [id, meta] of Object.entries(manifest.components[type])) {
        const kebab = id.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
        for (const file of Object.values(meta?.codeFiles ?? {})) if (file) expect(file.startsWith(`${type}s/${kebab}/${kebab}.`)).toBe(true);
      }
    }
  });

  it('points every rpc:// at an RPC of the app', () => {
    const rpcs = new Set(Object.keys(manifest.components.rpc));
    const targets = allCode.flatMap((c) => strings(c.json).flatMap((s) => [...s.matchAll(/rpc:\/\/([A-Za-z0-9_]+)/g)].map((m) => ({ owner: c.owner, rpc: m[1] }))));
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((t) => !rpcs.has(t.rpc))).toEqual([]);
  });

  it('links modules, webhooks and RPCs to components that exist', () => {
    const connections = new Set(Object.keys(manifest.components.connection));
    const webhooks = new Set(Object.keys(manifest.components.webhook));
    for (const type of ['module', 'webhook', 'rpc'] as const) {
      for (const [id, meta] of Object.entries(manifest.components[type])) {
        expect({ id, connection: meta?.connection && connections.has(meta.connection) }).toEqual({ id, connection: true });
      }
    }
    for (const [id, meta] of Object.entries(manifest.components.module)) {
      if (meta?.moduleType === 'instant_trigger') expect({ id, webhook: !!meta.webhook && webhooks.has(meta.webhook) }).toEqual({ id, webhook: true });
      else expect({ id, webhook: meta?.webhook ?? null }).toEqual({ id, webhook: null });
    }
  });

  it('lists every module in exactly one group, and only modules that exist', () => {
    const groups = z.array(z.object({ label: z.string(), modules: z.array(z.string()) })).parse(JSON.parse(readFileSync(join(makeAppDir, manifest.generalCodeFiles.groups!), 'utf8')));
    const grouped = groups.flatMap((g) => g.modules);
    expect([...grouped].sort()).toEqual(Object.keys(manifest.components.module).sort());
  });

  it('uses only IML the test evaluator understands', () => {
    for (const c of allCode) for (const s of strings(c.json)) expect(() => parseTemplate(s)).not.toThrow();
    const used = new Set(allCode.flatMap((c) => [...functionsUsed(c.json)]));
    expect([...used].filter((f) => !supportedFunctions.includes(f))).toEqual([]);
    expect([...used].sort()).toEqual(['ifempty', 'toCollection']);
  });

  it('offers every event type the hub delivers to webhooks', () => {
    const rpc = app.components.rpc.listEventTypes.codes.communication;
    const listed = z.object({ temp: z.object({ eventTypes: z.array(z.object({ value: z.string() })) }) }).parse(rpc).temp.eventTypes.map((e) => e.value);
    expect(listed.sort()).toEqual(eventTypes.filter((t) => t !== 'webhook_endpoint.disabled').sort());
  });

  it('keeps the API key out of Make logs in the base and the connection', () => {
    const sanitized = (code: unknown) => z.object({ log: z.object({ sanitize: z.array(z.string()) }) }).parse(code).log.sanitize;
    expect(sanitized(app.base)).toContain('request.headers.authorization');
    expect(sanitized(app.components.connection.referloop.codes.communication)).toContain('request.headers.authorization');
  });
});
