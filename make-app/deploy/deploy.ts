import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Make, MakeError } from '@makehq/sdk';
import { z } from 'zod';
import { appProfile } from './app-profile';
import {
  type ComponentMeta,
  type ComponentType,
  emptyIdMapping,
  type IdMapping,
  type Manifest,
  type Origin,
  readManifest,
  writeManifest,
} from './manifest';
import { connectionSections, moduleSections, moduleTypeIds, rpcSections, webhookSections } from './sections';

/** What to deploy where. */
export interface DeployOptions {
  /** The app directory (the one holding makecomapp.json). */
  appDir: string;
  /** A Make API token with the sdk-apps scopes. */
  token: string;
  /** The Make zone, e.g. `eu1.make.com`. A loopback address (a local fake in tests) is spoken to over http. */
  zone: string;
  /** Label of the origin in makecomapp.json; the first origin when omitted. */
  origin?: string;
  log?: (line: string) => void;
}

export interface DeployedComponent {
  type: ComponentType;
  local: string;
  remote: string;
  action: 'created' | 'updated';
}

export interface DeployReport {
  app: { name: string; version: number; created: boolean };
  components: DeployedComponent[];
  /** True when makecomapp.json was rewritten with new remote names (commit it). */
  manifestUpdated: boolean;
}

// Make answers these as JSON; parse them at the edge rather than trusting the SDK's static types.
const appSchema = z.object({ name: z.string(), version: z.number() });
const namedSchema = z.object({ name: z.string() });
const remoteListSchema = z.array(z.looseObject({ name: z.string(), label: z.string().optional() }));

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(:\d+)?$/;

function isNotFound(err: unknown): boolean {
  return err instanceof MakeError && err.statusCode === 404;
}

/** Pick the origin named by `label`, or the first one. */
function chooseOrigin(manifest: Manifest, label: string | undefined): Origin {
  const origin = label === undefined ? manifest.origins[0] : manifest.origins.find((o) => o.label === label);
  if (!origin) throw new Error(`makecomapp.json has no origin labelled "${label}"`);
  return origin;
}

class Deployer {
  private readonly make: Make;
  private readonly mapping: IdMapping;
  private manifestChanged = false;
  private appName: string;
  private appVersion: number;
  readonly components: DeployedComponent[] = [];

  constructor(
    private readonly opts: DeployOptions,
    private readonly manifest: Manifest,
    private readonly origin: Origin,
  ) {
    this.make = new Make(opts.token, opts.zone, { retry: { onRateLimit: true, maxRetries: 3 } });
    // The SDK documents `protocol` for local environments; only a loopback zone may use plain http.
    if (LOOPBACK.test(opts.zone)) this.make.protocol = 'http';
    this.origin.idMapping ??= emptyIdMapping();
    this.mapping = this.origin.idMapping;
    this.appName = origin.appId;
    this.appVersion = origin.appVersion;
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private read(file: string): string {
    return readFileSync(join(this.opts.appDir, file), 'utf8');
  }

  /** Create the app when the origin does not exist yet (Make may give it another name), else update its profile. */
  async ensureApp(): Promise<boolean> {
    try {
      await this.make.sdk.apps.get(this.appName, this.appVersion);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const created = appSchema.parse(await this.make.sdk.apps.create({ name: this.appName, ...appProfile, private: true }));
      this.log(`created app ${created.name} v${created.version}`);
      if (created.name !== this.appName || created.version !== this.appVersion) {
        this.origin.appId = created.name;
        this.origin.appVersion = created.version;
        this.manifestChanged = true;
      }
      this.appName = created.name;
      this.appVersion = created.version;
      return true;
    }
    await this.make.sdk.apps.update(this.appName, this.appVersion, { label: appProfile.label, description: appProfile.description, theme: appProfile.theme, language: appProfile.language });
    this.log(`updated app ${this.appName} v${this.appVersion}`);
    return false;
  }

  /** Base, groups, readme and common data. */
  async deployGeneral(): Promise<void> {
    const { base, groups, readme, common } = this.manifest.generalCodeFiles;
    if (base) await this.make.sdk.apps.setSection(this.appName, this.appVersion, 'base', this.read(base));
    if (groups) await this.make.sdk.apps.setSection(this.appName, this.appVersion, 'groups', this.read(groups));
    if (readme) await this.make.sdk.apps.setDocs(this.appName, this.appVersion, this.read(readme));
    if (common) await this.make.sdk.apps.setCommon(this.appName, this.appVersion, z.record(z.string(), z.json()).parse(JSON.parse(this.read(common))));
  }

  private mappedRemote(type: ComponentType, local: string): string | null | undefined {
    return this.mapping[type].find((m) => m.local === local)?.remote;
  }

  private remember(type: ComponentType, local: string, remote: string): void {
    if (this.mappedRemote(type, local) === remote) return;
    this.mapping[type] = [...this.mapping[type].filter((m) => m.local !== local), { local, remote }];
    this.manifestChanged = true;
  }

  /** The remote name of a local connection or webhook reference (deployed earlier in this run). */
  private reference(type: 'connection' | 'webhook', local: string | null | undefined): string | undefined {
    if (!local) return undefined;
    const remote = this.mappedRemote(type, local);
    if (!remote) throw new Error(`${type} "${local}" is referenced but has no remote counterpart`);
    return remote;
  }

  /**
   * Find the remote component for a local one: the id mapping first; then, for modules and RPCs, the same
   * name; for connections and webhooks (named by Make), one with the same label that no other local
   * component claims, so a fresh checkout does not create duplicates.
   */
  private match(type: ComponentType, local: string, meta: ComponentMeta, remote: z.infer<typeof remoteListSchema>): string | undefined {
    const mapped = this.mappedRemote(type, local);
    if (mapped) return mapped;
    if (type === 'module' || type === 'rpc') return remote.find((r) => r.name === local)?.name;
    const claimed = new Set(this.mapping[type].map((m) => m.remote));
    return remote.find((r) => r.label === meta.label && !claimed.has(r.name))?.name;
  }

  private record(type: ComponentType, local: string, remote: string, action: 'created' | 'updated'): void {
    this.remember(type, local, remote);
    this.components.push({ type, local, remote, action });
    this.log(`${action} ${type} ${local} → ${remote}`);
  }

  private async eachComponent(type: ComponentType, deploy: (local: string, meta: ComponentMeta) => Promise<void>): Promise<void> {
    for (const [local, meta] of Object.entries(this.manifest.components[type])) {
      if (!meta) continue;
      // A mapping to `null` means "do not pair this component with the origin" in the editor's format.
      if (this.mappedRemote(type, local) === null) continue;
      await deploy(local, meta);
    }
  }

  private codes<S extends string>(type: ComponentType, local: string, meta: ComponentMeta, sections: Record<string, S>, extra: string[] = []): Array<[S, string]> {
    const out: Array<[S, string]> = [];
    for (const [code, file] of Object.entries(meta.codeFiles)) {
      if (!file || extra.includes(code)) continue;
      const section = sections[code];
      if (!section) throw new Error(`${type} "${local}": code "${code}" cannot be deployed by this script`);
      out.push([section, this.read(file)]);
    }
    return out;
  }

  async deployConnections(): Promise<void> {
    const remote = remoteListSchema.parse(await this.make.sdk.connections.list(this.appName));
    await this.eachComponent('connection', async (local, meta) => {
      const label = meta.label ?? local;
      let name = this.match('connection', local, meta, remote);
      const action = name ? 'updated' : 'created';
      if (name) await this.make.sdk.connections.update(name, { label });
      else name = namedSchema.parse(await this.make.sdk.connections.create(this.appName, { type: meta.connectionType ?? 'basic', label })).name;
      for (const [section, text] of this.codes('connection', local, meta, connectionSections, ['common'])) await this.make.sdk.connections.setSection(name, section, text);
      const common = meta.codeFiles.common;
      if (common) await this.make.sdk.connections.setCommon(name, z.record(z.string(), z.json()).parse(JSON.parse(this.read(common))));
      this.record('connection', local, name, action);
    });
  }

  async deployWebhooks(): Promise<void> {
    const remote = remoteListSchema.parse(await this.make.sdk.webhooks.list(this.appName));
    await this.eachComponent('webhook', async (local, meta) => {
      const label = meta.label ?? local;
      let name = this.match('webhook', local, meta, remote);
      const action = name ? 'updated' : 'created';
      name ??= namedSchema.parse(await this.make.sdk.webhooks.create(this.appName, { type: meta.webhookType ?? 'web', label })).name;
      // Make's API takes the connection reference on update; the SDK's type lists only the label.
      const update: { label: string; connection?: string } = { label, connection: this.reference('connection', meta.connection) };
      await this.make.sdk.webhooks.update(name, update);
      for (const [section, text] of this.codes('webhook', local, meta, webhookSections)) await this.make.sdk.webhooks.setSection(name, section, text);
      this.record('webhook', local, name, action);
    });
  }

  async deployRpcs(): Promise<void> {
    const remote = remoteListSchema.parse(await this.make.sdk.rpcs.list(this.appName, this.appVersion));
    await this.eachComponent('rpc', async (local, meta) => {
      const label = meta.label ?? local;
      const existing = this.match('rpc', local, meta, remote);
      const name = existing ?? namedSchema.parse(await this.make.sdk.rpcs.create(this.appName, this.appVersion, { name: local, label })).name;
      await this.make.sdk.rpcs.update(this.appName, this.appVersion, name, { label, connection: this.reference('connection', meta.connection) });
      for (const [section, text] of this.codes('rpc', local, meta, rpcSections)) await this.make.sdk.rpcs.setSection(this.appName, this.appVersion, name, section, text);
      this.record('rpc', local, name, existing ? 'updated' : 'created');
    });
  }

  async deployModules(): Promise<void> {
    const remote = remoteListSchema.parse(await this.make.sdk.modules.list(this.appName, this.appVersion));
    await this.eachComponent('module', async (local, meta) => {
      if (!meta.moduleType) throw new Error(`module "${local}" has no moduleType`);
      if (meta.moduleType === 'instant_trigger' && !meta.webhook) throw new Error(`instant trigger "${local}" must name its webhook`);
      const refs = {
        label: meta.label ?? local,
        description: meta.description ?? '',
        connection: this.reference('connection', meta.connection),
        ...(meta.moduleType === 'instant_trigger' ? { webhook: this.reference('webhook', meta.webhook) } : {}),
        ...(meta.moduleType === 'action' && meta.actionCrud ? { crud: meta.actionCrud } : {}),
      };
      const existing = this.match('module', local, meta, remote);
      let name = existing;
      if (name) await this.make.sdk.modules.update(this.appName, this.appVersion, name, refs);
      else {
        // Make wants a subtype for universal modules; local code replaces the template right after.
        const create = { name: local, typeId: moduleTypeIds[meta.moduleType], ...refs, ...(meta.moduleType === 'universal' ? { subtype: 'Universal' } : {}) };
        name = namedSchema.parse(await this.make.sdk.modules.create(this.appName, this.appVersion, create)).name;
      }
      for (const [section, text] of this.codes('module', local, meta, moduleSections)) await this.make.sdk.modules.setSection(this.appName, this.appVersion, name, section, text);
      this.record('module', local, name, existing ? 'updated' : 'created');
    });
  }

  finish(): { name: string; version: number; manifestUpdated: boolean } {
    if (this.manifestChanged) writeManifest(this.opts.appDir, this.manifest);
    return { name: this.appName, version: this.appVersion, manifestUpdated: this.manifestChanged };
  }
}

/**
 * Create or update the app and every component on Make, in dependency order (connections, webhooks, RPCs,
 * modules), then write new remote names into makecomapp.json's origin, as the apps editor does.
 */
export async function deployApp(opts: DeployOptions): Promise<DeployReport> {
  const manifest = readManifest(opts.appDir);
  for (const type of ['function', 'endpoint'] as const) {
    if (Object.values(manifest.components[type]).some(Boolean)) throw new Error(`deploying ${type} components is not supported by this script`);
  }
  const deployer = new Deployer(opts, manifest, chooseOrigin(manifest, opts.origin));
  const created = await deployer.ensureApp();
  await deployer.deployGeneral();
  await deployer.deployConnections();
  await deployer.deployWebhooks();
  await deployer.deployRpcs();
  await deployer.deployModules();
  const { name, version, manifestUpdated } = deployer.finish();
  return { app: { name, version, created }, components: deployer.components, manifestUpdated };
}
