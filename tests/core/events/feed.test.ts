import { emitEvent } from '../../../core/src/events/emit';
import { dbKinds, startTestHub, type TestHub } from '../../support/hub';
import { eventually } from '../webhooks/receiver';

describe.each(dbKinds())('GET /v1/events (%s)', (db) => {
  let t: TestHub;
  let campaignA: string;
  let campaignB: string;
  const created: any[] = [];

  beforeAll(async () => {
    t = await startTestHub({ db, worker: false });
    campaignA = (await t.api('/v1/campaigns', { body: { name: 'A', destination_url: 'https://shop.example.com/' } })).body.id;
    campaignB = (await t.api('/v1/campaigns', { body: { name: 'B', destination_url: 'https://shop.example.com/' } })).body.id;
    const ann = (await t.api('/v1/participants', { body: { campaign_id: campaignA, email: 'ann@example.com' } })).body;
    created.push(ann);
    created.push((await t.api('/v1/participants', { body: { campaign_id: campaignA, email: 'bob@example.com', referrer_code: ann.code } })).body);
    created.push((await t.api('/v1/participants', { body: { campaign_id: campaignB, email: 'cat@example.com' } })).body);
  });
  afterAll(async () => t.close());

  const ids = (res: any) => res.body.data.map((e: any) => e.id);

  it('lists envelopes newest first, the same shape webhooks deliver', async () => {
    const res = await t.api('/v1/events');
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: any) => e.type)).toEqual(['participant.created', 'referral.created', 'participant.created', 'participant.created']);
    expect(res.body.data.map((e: any) => e.data.email)).toEqual(['cat@example.com', 'bob@example.com', 'bob@example.com', 'ann@example.com']);
    expect(Object.keys(res.body.data[0])).toEqual(['id', 'type', 'created_at', 'workspace_id', 'campaign_id', 'data']);
    expect(res.body.data[0]).toMatchObject({ workspace_id: t.workspaceId, campaign_id: campaignB, data: { id: created[2].id, object: 'participant' } });
    expect(res.body.data[1].data.referrer).toMatchObject({ id: created[0].id, code: created[0].code, people_referred: 1 });
    const asc = await t.api('/v1/events?order=asc');
    expect(ids(asc)).toEqual([...ids(res)].reverse());
  });

  it('filters by type (one or several) and by campaign', async () => {
    expect((await t.api('/v1/events?type=referral.created')).body.data.map((e: any) => e.data.email)).toEqual(['bob@example.com']);
    expect((await t.api('/v1/events?type=referral.created,participant.created')).body.data).toHaveLength(4);
    expect((await t.api(`/v1/events?campaign_id=${campaignB}`)).body.data.map((e: any) => e.data.email)).toEqual(['cat@example.com']);
    expect((await t.api(`/v1/events?campaign_id=${campaignA}&type=participant.created`)).body.data).toHaveLength(2);
  });

  it('pages with limit and cursor, and returns only newer events after a given id', async () => {
    const all = ids(await t.api('/v1/events'));
    const first = await t.api('/v1/events?limit=3');
    expect(ids(first)).toEqual(all.slice(0, 3));
    const second = await t.api(`/v1/events?limit=3&cursor=${first.body.next_cursor}`);
    expect(ids(second)).toEqual(all.slice(3));
    expect(second.body.next_cursor).toBeNull();
    const oldest = all[all.length - 1];
    expect(ids(await t.api(`/v1/events?after=${oldest}`))).toEqual(all.slice(0, -1));
    expect(ids(await t.api(`/v1/events?after=${oldest}&order=asc&limit=2`))).toEqual([all[2], all[1]]);
    expect((await t.api(`/v1/events?after=${all[0]}`)).body.data).toEqual([]);
  });

  it('answers 400 naming the parameter for an unknown type or after id', async () => {
    const badType = await t.api('/v1/events?type=referral.created,nope');
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].path).toBe('query.type');
    const badAfter = await t.api('/v1/events?after=evt_01jd0000000000000000000000');
    expect(badAfter.status).toBe(400);
    expect(badAfter.body.errors[0].path).toBe('query.after');
  });

  it("shows a workspace only its own events", async () => {
    const other = await t.newWorkspace();
    const res = await t.api('/v1/events', { key: other.secretKey });
    expect(res.body.data).toEqual([]);
    const all = ids(await t.api('/v1/events'));
    expect((await t.api(`/v1/events?after=${all[0]}`, { key: other.secretKey })).status).toBe(400);
  });

  (db === 'postgres' ? it : it.skip)('never lets a late-committing event slip behind a poller that saw newer ones', async () => {
    const seen = ids(await t.api('/v1/events'))[0];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let lateId = '';
    // A slow transaction writes its event first (older transaction, lower seq) and commits last.
    const slow = t.hub.db.tx(async (q) => {
      lateId = await emitEvent(q, t.hub, { workspaceId: t.workspaceId, campaignId: campaignA, type: 'participant.created', data: { slow: true } });
      await held;
    });
    await new Promise((r) => setTimeout(r, 100));
    const quick = (await t.api('/v1/participants', { body: { campaign_id: campaignA, email: 'dan@example.com' } })).body;
    // While the older transaction is open, the newer event is held back rather than shown ahead of it.
    expect((await t.api(`/v1/events?after=${seen}`)).body.data).toEqual([]);
    release();
    await slow;
    const after = (await eventually(async () => {
      const res = await t.api(`/v1/events?after=${seen}&order=asc`);
      return res.body.data.length >= 2 ? res : null;
    })).body.data;
    expect(after.map((e: any) => e.id)[0]).toBe(lateId);
    expect(after[1].data.id).toBe(quick.id);
  });
});
