import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../core/src/config';
import { openDb } from '../../../core/src/db';
import { createWorkspace } from '../../../core/src/domain/workspaces';
import { createHub } from '../../../core/src/hub';
import { addParticipant, createCampaign } from '../../support/fixtures';
import { dbKinds, startTestHub, type DbKind, type TestHub } from '../../support/hub';
import { clickMany, holdClickInserts, storedClicks, until } from './click-helpers';

describe.each(dbKinds())('click writes on %s', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db, worker: false });
  });
  afterAll(async () => t.close());

  it('stores every click of a burst exactly once, and flush returns only once all are written', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'burst@example.com' });
    // More than one batch (500 rows) so several writes follow each other while clicks keep coming.
    const ids = await clickMany(ann.referral_link, 1_200);
    await t.hub.clicks.flush();
    const stored = await storedClicks(t, ann.id);
    expect(stored).toHaveLength(1_200);
    expect(new Set(stored)).toEqual(new Set(ids));
    expect(t.hub.clicks.size).toBe(0);
  });

  (db === 'postgres' ? it : it.skip)('flush waits for every click, also those queued behind a slow write', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'slow@example.com' });
    const held = await holdClickInserts(t);
    let flushed: Promise<void> | null = null;
    try {
      // The first 500 clicks go out as one insert, which waits on the lock; the rest queue behind it.
      const ids = await clickMany(ann.referral_link, 700);
      await until(async () => (await held.waitingPids()).length > 0);
      expect(t.hub.clicks.get(ids[0])).toMatchObject({ participant_id: ann.id });
      flushed = t.hub.clicks.flush();
      await held.release();
      await flushed;
      const stored = await storedClicks(t, ann.id);
      expect(stored.sort()).toEqual([...ids].sort());
    } finally {
      if (!flushed) await held.release();
    }
  });

  it('keeps clicks while the database refuses them, still attributes their sign-ups, and writes each once when it accepts them again', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'refused@example.com' });
    await t.hub.db.query(`ALTER TABLE clicks ADD CONSTRAINT clicks_refused CHECK (participant_id <> '${ann.id}') NOT VALID`);
    try {
      const ids = await clickMany(ann.referral_link, 40, 10);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await storedClicks(t, ann.id)).toEqual([]);
      expect(t.hub.clicks.size).toBe(40);
      const bob = await addParticipant(t, { campaign_id: c.id, email: 'refused-bob@example.com', click_id: ids[7] });
      expect(bob).toMatchObject({ type: 'referred', referrer_id: ann.id, click_id: ids[7] });

      await t.hub.db.query('ALTER TABLE clicks DROP CONSTRAINT clicks_refused');
      await t.hub.clicks.flush();
      const stored = await storedClicks(t, ann.id);
      expect(stored.sort()).toEqual([...ids].sort());
      expect(t.hub.clicks.size).toBe(0);
    } finally {
      await t.hub.db.query('ALTER TABLE clicks DROP CONSTRAINT IF EXISTS clicks_refused');
    }
  });
});

describe.each(dbKinds())('shutdown on %s', (kind: DbKind) => {
  it('writes the clicks still waiting when the hub closes, even between retries', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rl-clicks-'));
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const url = process.env.DATABASE_URL;
    const env = {
      LOG_LEVEL: 'silent',
      REFERLOOP_DATA_DIR: dataDir,
      ...(kind === 'postgres' ? { DATABASE_URL: url, DATABASE_SCHEMA: schema } : {}),
    };
    const hub = await createHub({ config: loadConfig(env) });
    const { url: base } = await hub.listen(0, '127.0.0.1');
    const { workspace } = await createWorkspace(hub.db, 'Shutdown');
    const campaignId = `cmp_${'1'.repeat(26)}`;
    await hub.db.query(
      `INSERT INTO campaigns (id, workspace_id, name, slug, status, destination_url, code_length, attribution, attribution_window_days, cookie_days, review_mode, inbound_token)
       VALUES ($1, $2, 'shutdown', 'shutdown', 'live', 'https://acme.example/', 8, 'last_click', 30, 30, 'auto', $1)`,
      [campaignId, workspace.id],
    );
    await hub.db.query(
      `INSERT INTO participants (id, workspace_id, campaign_id, type, email, email_key, email_canonical, code, share_token)
       VALUES ('par_${'1'.repeat(26)}', $1, $2, 'direct', 's@example.com', 's@example.com', 's@example.com', 'SHUTDOWN', 'tok')`,
      [workspace.id, campaignId],
    );
    // Refused for a while, so the clicks are certainly still waiting (between retries) when the hub closes.
    await hub.db.query(`ALTER TABLE clicks ADD CONSTRAINT clicks_refused CHECK (false) NOT VALID`);
    const ids = await clickMany(`${base}/r/SHUTDOWN`, 60, 10);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(hub.clicks.size).toBe(60);
    await hub.db.query('ALTER TABLE clicks DROP CONSTRAINT clicks_refused');
    await hub.close();

    const reopened = await openDb(kind === 'postgres' ? { url, schema } : { dataDir });
    try {
      const rows = await reopened.query<{ id: string }>('SELECT id FROM clicks');
      expect(rows.map((r) => r.id).sort()).toEqual([...ids].sort());
    } finally {
      if (kind === 'postgres') await reopened.query(`DROP SCHEMA "${schema}" CASCADE`);
      await reopened.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
