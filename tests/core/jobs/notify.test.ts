import pg from 'pg';
import { enqueue } from '../../../core/src/jobs/enqueue';
import { jobsChannel } from '../../../core/src/jobs/pg-listen';
import { startTestHub, type TestHub } from '../../support/hub';

// Workers in other processes hear about new jobs through Postgres NOTIFY (PGlite has no other processes).
(process.env.DATABASE_URL ? describe : describe.skip)('job announcements on Postgres', () => {
  let t: TestHub;
  let listener: pg.Client;
  const heard: string[] = [];

  beforeAll(async () => {
    t = await startTestHub({ db: 'postgres', worker: false });
    listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    listener.on('notification', (n) => heard.push(n.channel));
    await listener.query(`LISTEN "${jobsChannel(t.hub.config.DATABASE_SCHEMA)}"`);
  });
  afterAll(async () => {
    await listener.end();
    await t.close();
  });

  it('announces jobs on the hub schema channel when, and only when, their transaction commits', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const tx = t.hub.db.tx(async (q) => {
      await enqueue(q, 'rewards.release', {});
      await held;
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toEqual([]);
    release();
    await tx;
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toEqual([jobsChannel(t.hub.config.DATABASE_SCHEMA)]);

    await t.hub.db.tx(async (q) => {
      await enqueue(q, 'rewards.release', {});
      throw new Error('rolled back');
    }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toHaveLength(1);
  });
});
