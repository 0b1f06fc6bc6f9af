import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../../core/src/config';
import { createCampaign } from '../../../core/src/domain/campaigns';
import { createParticipant } from '../../../core/src/domain/participants';
import { createWorkspace } from '../../../core/src/domain/workspaces';
import { createHub } from '../../../core/src/hub';
import { createCampaignSchema } from '../../../core/src/schemas/campaign';
import { startTestHub, type TestHub } from '../../support/hub';
import { createCampaign as createCampaignOverApi } from './helpers';

const run = promisify(execFile);
const CLI = path.resolve(__dirname, '../../../core/bin/referloop.js');

/** The CLI as a user runs it, with only the environment given (no DATABASE_URL leaking in from CI). */
function referloop(args: string[], env: Record<string, string>) {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent' };
  return run(process.execPath, [CLI, ...args], { env: { ...base, ...env }, timeout: 120_000 });
}

describe('referloop import (CLI)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'referloop-cli-import-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('imports participants then a customer list into the local database, printing the summary', async () => {
    const dataDir = path.join(dir, 'data');
    const hub = await createHub({ config: loadConfig({ REFERLOOP_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }) });
    const { workspace } = await createWorkspace(hub.db, 'CLI');
    const campaign = await hub.db.tx((q) => createCampaign(q, workspace.id, createCampaignSchema.parse({ name: 'CLI', destination_url: 'https://shop.example.com/' })));
    const { participant: ann } = await createParticipant(hub, workspace.id, { campaign_id: campaign.id, email: 'ann@example.com' }, { source: 'api' });
    await hub.close();

    const people = path.join(dir, 'people.csv');
    fs.writeFileSync(people, `email,first_name,referrer_code\nbob@example.com,Bob,${ann.code}\ncid@example.com,Cid,\nnope,X,\n`);
    const added = await referloop(['import', 'participants', people, '--campaign', campaign.id], { REFERLOOP_DATA_DIR: dataDir });
    expect(added.stdout).toContain(`people.csv → campaign ${campaign.id}: 3 rows`);
    expect(added.stdout).toContain('created 2 (referred 1), already there 0');
    expect(added.stdout).toContain("line 4: email: 'nope' is not a valid email address");

    const customers = path.join(dir, 'customers.csv');
    fs.writeFileSync(customers, 'email\nbob@example.com\ncid@example.com\nzed@example.com\n');
    const qualified = await referloop(['import', 'customers', customers, '--campaign', campaign.id, '--json'], { REFERLOOP_DATA_DIR: dataDir });
    expect(JSON.parse(qualified.stdout)).toMatchObject({ kind: 'customers', rows: 3, matched: 2, qualified: 1, not_referred: 1, not_found: 1, invalid_count: 0 });

    const check = await createHub({ config: loadConfig({ REFERLOOP_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }) });
    const rows = await check.db.query<{ email: string; referral_status: string | null }>('SELECT email, referral_status FROM participants ORDER BY email');
    await check.close();
    expect(rows).toEqual([
      { email: 'ann@example.com', referral_status: null },
      { email: 'bob@example.com', referral_status: 'qualified' },
      { email: 'cid@example.com', referral_status: null },
    ]);
  }, 180_000);

  describe('against a running hub (--url)', () => {
    let t: TestHub;
    beforeAll(async () => {
      t = await startTestHub();
    });
    afterAll(async () => t.close());

    it('streams the file to the API and prints the hub’s summary', async () => {
      const c = await createCampaignOverApi(t);
      const file = path.join(dir, 'remote.csv');
      fs.writeFileSync(file, 'Email Address,First Name\n' + Array.from({ length: 2500 }, (_, i) => `r${i}@example.com,R${i}`).join('\n'));
      const out = await referloop(['import', 'participants', file, '--campaign', c.id, '--url', t.url, '--json'], { REFERLOOP_API_KEY: t.secretKey });
      expect(JSON.parse(out.stdout)).toMatchObject({ kind: 'participants', rows: 2500, created: 2500, existing: 0, invalid_count: 0 });
      expect((await t.api(`/v1/participants?campaign_id=${c.id}&email=r2499@example.com`)).body.data).toHaveLength(1);

      const bad = await referloop(['import', 'customers', file, '--campaign', 'cmp_unknown', '--url', t.url, '--key', t.secretKey], {}).catch((err: { code: number; stderr: string }) => err);
      expect(bad).toMatchObject({ code: 1 });
      expect('stderr' in bad ? bad.stderr : '').toContain('The hub answered 400: campaign_id');
    }, 120_000);
  });
});
