import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { readManifest } from '../../../make-app/deploy/manifest';
import { makeAppDir } from './runtime/app';
import { listAppFiles } from './support/app-files';
import { type FakeMakeApi, type RecordedCall, startFakeMakeApi } from './support/fake-make-api';
import { loadVendorSchemas, validatorFor } from './support/vendor-schemas';

const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..', '..');
const token = randomUUID();

/** A copy of the app to deploy from, since a deploy writes new remote names into makecomapp.json. */
function copyApp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'referloop-make-'));
  for (const f of ['makecomapp.json', ...listAppFiles(makeAppDir)]) cpSync(join(makeAppDir, f), join(dir, f), { recursive: true });
  return dir;
}

/** `npm run deploy -w make-app`, as a developer runs it, against the fake. */
async function deploy(appDir: string, zone: string, apiToken: string | null = token) {
  const env: NodeJS.ProcessEnv = { ...process.env, MAKE_ZONE: zone, MAKE_APP_DIR: appDir };
  if (apiToken === null) delete env.MAKE_API_TOKEN;
  else env.MAKE_API_TOKEN = apiToken;
  try {
    const { stdout } = await run('npm', ['run', '--silent', 'deploy', '-w', 'make-app'], { cwd: repoRoot, env, timeout: 60_000 });
    return { code: 0, stdout };
  } catch (err) {
    const e = z.object({ code: z.number().optional(), stdout: z.string().optional(), stderr: z.string().optional() }).parse(err);
    return { code: e.code ?? 1, stdout: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

const file = (rel: string) => readFileSync(join(makeAppDir, rel), 'utf8');
const json = (c: RecordedCall): unknown => JSON.parse(c.body);
const find = (calls: RecordedCall[], method: string, path: string) => calls.filter((c) => c.method === method && c.path === `/api/v2/sdk/apps${path}`);

let fake: FakeMakeApi;
let dir: string;
let firstRun: { code: number; stdout: string };
const manifest = readManifest(makeAppDir);
const moduleIds = Object.keys(manifest.components.module);

beforeAll(async () => {
  fake = await startFakeMakeApi(token);
  dir = copyApp();
  firstRun = await deploy(dir, fake.zone);
}, 90_000);
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run deploy -w make-app against a fake Make API', () => {
  it('creates the app (Make names it) with its profile, then uploads base, groups, readme and common', () => {
    expect(firstRun).toMatchObject({ code: 0, stdout: expect.stringContaining('deployed referloop-k3x9p1 v1') });
    expect(fake.calls.every((c) => c.authorization === `Token ${token}`)).toBe(true);
    expect(find(fake.calls, 'GET', '/referloop/1')).toHaveLength(1);
    const [create] = find(fake.calls, 'POST', '');
    expect(json(create)).toMatchObject({ name: 'referloop', label: 'Referloop', language: 'en', audience: 'global', private: true });
    const app = '/referloop-k3x9p1/1';
    expect(find(fake.calls, 'PUT', `${app}/base`)[0]).toMatchObject({ contentType: 'application/jsonc', body: file('general/base.iml.json') });
    expect(find(fake.calls, 'PUT', `${app}/groups`)[0].body).toBe(file('modules/groups.json'));
    expect(find(fake.calls, 'PUT', `${app}/readme`)[0]).toMatchObject({ contentType: 'text/markdown', body: file('README.md') });
    expect(json(find(fake.calls, 'PUT', `${app}/common`)[0])).toEqual({});
  });

  it('creates the connection and the webhook, which Make names, and links the webhook to the connection', () => {
    expect(find(fake.calls, 'POST', '/referloop-k3x9p1/connections').map(json)).toEqual([{ type: 'basic', label: 'Referloop' }]);
    expect(find(fake.calls, 'PUT', '/connections/referloop-k3x9p1/api')[0].body).toBe(file('connections/referloop/referloop.communication.iml.json'));
    expect(find(fake.calls, 'PUT', '/connections/referloop-k3x9p1/parameters')[0].body).toBe(file('connections/referloop/referloop.params.iml.json'));
    expect(find(fake.calls, 'POST', '/referloop-k3x9p1/webhooks').map(json)).toEqual([{ type: 'web', label: 'Referloop events' }]);
    const hook = '/webhooks/referloop-k3x9p1';
    expect(json(find(fake.calls, 'PATCH', hook)[0])).toEqual({ label: 'Referloop events', connection: 'referloop-k3x9p1' });
    for (const [section, code] of [['api', 'communication'], ['parameters', 'params'], ['attach', 'attach'], ['detach', 'detach']]) {
      expect(find(fake.calls, 'PUT', `${hook}/${section}`)[0].body).toBe(file(`webhooks/referloop-events/referloop-events.${code}.iml.json`));
    }
  });

  it('creates every RPC and module with its type, references and code sections', () => {
    const app = '/referloop-k3x9p1/1';
    expect(find(fake.calls, 'POST', `${app}/rpcs`).map(json)).toEqual([
      { name: 'listCampaigns', label: 'List campaigns' },
      { name: 'listEventTypes', label: 'List event types' },
    ]);
    expect(find(fake.calls, 'PUT', `${app}/rpcs/listCampaigns/api`)[0].body).toBe(file('rpcs/list-campaigns/list-campaigns.communication.iml.json'));
    const created = find(fake.calls, 'POST', `${app}/modules`).map(json);
    expect(z.array(z.looseObject({ name: z.string() })).parse(created).map((b) => b.name)).toEqual(moduleIds);
    expect(created).toContainEqual(expect.objectContaining({ name: 'watchEvents', typeId: 10, webhook: 'referloop-k3x9p1', connection: 'referloop-k3x9p1' }));
    expect(created).toContainEqual(expect.objectContaining({ name: 'watchNewParticipants', typeId: 1 }));
    expect(created).toContainEqual(expect.objectContaining({ name: 'addParticipant', typeId: 4, crud: 'create', label: 'Add a Participant' }));
    expect(created).toContainEqual(expect.objectContaining({ name: 'searchParticipants', typeId: 9 }));
    expect(created).toContainEqual(expect.objectContaining({ name: 'makeApiCall', typeId: 12, subtype: 'Universal' }));
    const sectionsOf = (m: string) =>
      fake.calls.filter((c) => c.method === 'PUT' && c.path.startsWith(`/api/v2/sdk/apps${app}/modules/${m}/`)).map((c) => c.path.split('/').pop());
    expect(sectionsOf('watchEvents').sort()).toEqual(['interface', 'samples']);
    expect(sectionsOf('watchNewParticipants').sort()).toEqual(['api', 'epoch', 'interface', 'parameters', 'samples']);
    const trigger = fake.calls.filter((c) => c.method === 'PUT' && c.path.startsWith(`/api/v2/sdk/apps${app}/modules/watchNewParticipants/`));
    expect(trigger.find((c) => c.path.endsWith('/parameters'))!.body).toBe(file('modules/watch-new-participants/watch-new-participants.static-params.iml.json'));
    const add = fake.calls.filter((c) => c.method === 'PUT' && c.path.startsWith(`/api/v2/sdk/apps${app}/modules/addParticipant/`));
    expect(add.find((c) => c.path.endsWith('/expect'))!.body).toBe(file('modules/add-participant/add-participant.mappable-params.iml.json'));
  });

  it('writes the remote names into makecomapp.json, which stays valid for the apps editor', () => {
    const written = readManifest(dir);
    expect(written.origins[0]).toMatchObject({ appId: 'referloop-k3x9p1', appVersion: 1 });
    expect(written.origins[0].idMapping).toMatchObject({
      connection: [{ local: 'referloop', remote: 'referloop-k3x9p1' }],
      webhook: [{ local: 'referloopEvents', remote: 'referloop-k3x9p1' }],
    });
    expect(written.origins[0].idMapping!.module.map((m) => m.local)).toEqual(moduleIds);
    const validate = validatorFor(loadVendorSchemas(), 'makecomapp.schema.json');
    expect(validate(JSON.parse(readFileSync(join(dir, 'makecomapp.json'), 'utf8')))).toBe(true);
  });

  it('updates instead of creating on the next deploy', async () => {
    const before = fake.calls.length;
    const again = await deploy(dir, fake.zone);
    expect(again.code).toBe(0);
    const calls = fake.calls.slice(before);
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    expect(find(calls, 'PATCH', '/referloop-k3x9p1/1')).toHaveLength(1);
    expect(calls.filter((c) => c.method === 'PATCH' && c.path.includes('/modules/'))).toHaveLength(moduleIds.length);
    expect(fake.apps.get('referloop-k3x9p1')!.modules.size).toBe(moduleIds.length);
  });

  it("reads the token from the origin's apikeyFile when MAKE_API_TOKEN is not set", async () => {
    mkdirSync(join(dir, '.secrets'));
    writeFileSync(join(dir, '.secrets', 'make-api-token'), `${token}\n`);
    const before = fake.calls.length;
    expect((await deploy(dir, fake.zone, null)).code).toBe(0);
    expect(fake.calls.slice(before).every((c) => c.authorization === `Token ${token}`)).toBe(true);
  });

  it('pairs with the existing connection and webhook by label from a checkout without the id mapping', async () => {
    const fresh = copyApp();
    try {
      const m = JSON.parse(readFileSync(join(fresh, 'makecomapp.json'), 'utf8'));
      m.origins[0].appId = 'referloop-k3x9p1';
      writeFileSync(join(fresh, 'makecomapp.json'), JSON.stringify(m, null, 4));
      const before = fake.calls.length;
      expect((await deploy(fresh, fake.zone)).code).toBe(0);
      expect(fake.calls.slice(before).filter((c) => c.method === 'POST')).toEqual([]);
      expect(fake.apps.get('referloop-k3x9p1')!.connections.size).toBe(1);
      expect(readManifest(fresh).origins[0].idMapping!.webhook).toEqual([{ local: 'referloopEvents', remote: 'referloop-k3x9p1' }]);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });

  it('stops with Make’s message when the token is refused, creating nothing', async () => {
    const other = copyApp();
    try {
      const before = fake.calls.length;
      const res = await deploy(other, fake.zone, randomUUID());
      expect(res.code).not.toBe(0);
      expect(res.stdout).toContain('Invalid access token.');
      expect(fake.calls.slice(before).filter((c) => c.method !== 'GET')).toEqual([]);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
