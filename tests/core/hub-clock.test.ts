import { dbKinds, startTestHub, type TestHub } from '../support/hub';
import { addParticipant, clickLink, createCampaign } from '../support/fixtures';

/**
 * Every timestamp a user sees comes from the hub's clock, not the database's: with the clock moved
 * (as tests do, and as a hub whose clock differs from its database server's would), a participant,
 * its timeline, its clicks, its qualification and the events about them all agree.
 */
describe.each(dbKinds())('timestamps follow the hub clock on %s', (db) => {
  let t: TestHub;
  let clock = new Date('2031-03-04T05:06:07.000Z');
  beforeAll(async () => {
    t = await startTestHub({ db, now: () => clock });
  });
  afterAll(async () => t.close());

  const timeline = async (id: string) => (await t.api(`/v1/participants/${id}/timeline`)).body.data as Array<{ kind: string; at: string }>;
  const eventTimes = async (type: string) => ((await t.api(`/v1/events?type=${type}&limit=100`)).body.data as Array<{ created_at: string; data: { id: string } }>).map((e) => [e.data.id, e.created_at]);

  it('dates sign-ups, clicks, shares, qualifications, rewards and their events by the moved clock', async () => {
    const signedUp = new Date('2031-03-04T05:06:07.000Z');
    clock = signedUp;
    const c = await createCampaign(t, { attribution_window_days: 30 });
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'clock-ann@example.com' });
    expect(ann.created_at).toBe(signedUp.toISOString());
    expect(await timeline(ann.id)).toEqual([expect.objectContaining({ kind: 'signup', at: signedUp.toISOString() })]);

    const click = await clickLink(ann.referral_link);
    await t.hub.clicks.flush();
    const [row] = await t.hub.db.query<{ created_at: Date }>('SELECT created_at FROM clicks WHERE id = $1', [click.location!.searchParams.get('rl_click')]);
    expect(row.created_at.toISOString()).toBe(signedUp.toISOString());

    const shared = new Date('2031-03-05T00:00:00.000Z');
    clock = shared;
    expect((await t.api('/v1/participation-events', { body: { participant_id: ann.id, kind: 'link_copied' } })).status).toBe(201);
    const bob = await addParticipant(t, { campaign_id: c.id, email: 'clock-bob@example.com', click_id: click.location!.searchParams.get('rl_click') });
    expect(bob).toMatchObject({ type: 'referred', referrer_id: ann.id });

    const qualified = new Date('2031-03-09T12:00:00.000Z');
    clock = qualified;
    expect((await t.api('/v1/referrals/qualify', { body: { participant_id: bob.id } })).status).toBe(200);

    expect(await timeline(ann.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'signup', at: signedUp.toISOString() }),
        expect.objectContaining({ kind: 'link_copied', at: shared.toISOString() }),
        expect.objectContaining({ kind: 'reward', at: qualified.toISOString() }),
      ]),
    );
    expect(await timeline(bob.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'signup', at: shared.toISOString() }),
        expect.objectContaining({ kind: 'qualification', at: qualified.toISOString() }),
      ]),
    );
    const [q] = await t.hub.db.query<{ created_at: Date }>('SELECT created_at FROM qualifications WHERE participant_id = $1', [bob.id]);
    expect(q.created_at.toISOString()).toBe(qualified.toISOString());

    expect(await eventTimes('participant.created')).toEqual(expect.arrayContaining([[ann.id, signedUp.toISOString()], [bob.id, shared.toISOString()]]));
    expect(await eventTimes('referral.qualified')).toEqual([[bob.id, qualified.toISOString()]]);
    const rewards = (await t.api('/v1/events?type=reward.created')).body.data;
    expect(rewards.map((e: { created_at: string }) => e.created_at)).toEqual([qualified.toISOString()]);
  });

  it('dates a CSV import’s sign-ups and their events by the moved clock', async () => {
    const imported = new Date('2031-04-01T08:00:00.000Z');
    clock = imported;
    const c = await createCampaign(t);
    const res = await t.api(`/v1/imports/participants?campaign_id=${c.id}`, { method: 'POST', body: 'email\nclock-csv1@example.com\nclock-csv2@example.com\n', headers: { 'content-type': 'text/csv' } });
    expect(res.body).toMatchObject({ created: 2 });
    const people = (await t.api(`/v1/participants?campaign_id=${c.id}`)).body.data as Array<{ id: string; created_at: string }>;
    expect(people).toHaveLength(2);
    for (const p of people) {
      expect(p.created_at).toBe(imported.toISOString());
      expect(await timeline(p.id)).toEqual([expect.objectContaining({ kind: 'signup', at: imported.toISOString() })]);
    }
    const events = await eventTimes('participant.created');
    for (const p of people) expect(events).toContainEqual([p.id, imported.toISOString()]);
  });
});
