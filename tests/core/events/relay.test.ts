import { emitEvent } from '../../../core/src/events/emit';
import { startTestHub, type TestHub } from '../../support/hub';
import { startReceiver, type Receiver } from '../webhooks/receiver';

// Two transactions interleave only on real Postgres (PGlite runs one at a time).
(process.env.DATABASE_URL ? describe : describe.skip)('event relay on Postgres', () => {
  let t: TestHub;
  let receiver: Receiver;
  let campaignId: string;

  beforeAll(async () => {
    t = await startTestHub({ db: 'postgres' });
    receiver = await startReceiver();
    campaignId = (await t.api('/v1/campaigns', { body: { name: 'Relay', destination_url: 'https://shop.example.com/' } })).body.id;
    await t.api('/v1/webhooks', { body: { url: receiver.url, events: ['participant.created'] } });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  it('delivers an event whose transaction commits after a later-numbered one was already relayed', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let lateId = '';
    let lateSeq = 0;
    const slow = t.hub.db.tx(async (q) => {
      lateId = await emitEvent(q, t.hub, { workspaceId: t.workspaceId, campaignId, type: 'participant.created', data: { late: true } });
      [{ seq: lateSeq }] = await q.query<{ seq: number }>('SELECT seq FROM events WHERE id = $1', [lateId]);
      await held;
    });
    try {
      await new Promise((r) => setTimeout(r, 100));
      const quick = (await t.api('/v1/participants', { body: { campaign_id: campaignId, email: 'quick@example.com' } })).body;
      await receiver.waitFor((all) => all.some((r) => r.json?.data?.id === quick.id));
      const [{ seq: quickSeq }] = await t.hub.db.query<{ seq: number }>("SELECT seq FROM events WHERE type = 'participant.created' AND data->>'id' = $1", [
        quick.id,
      ]);
      expect(lateSeq).toBeLessThan(quickSeq);
    } finally {
      release();
      await slow;
    }
    const got = await receiver.waitFor((all) => all.some((r) => r.json?.id === lateId));
    expect(got.filter((r) => r.json?.id === lateId)).toHaveLength(1);
  });
});
