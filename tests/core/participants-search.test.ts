import { dbKinds, startTestHub, type TestHub } from '../support/hub';
import { addParticipant, createCampaign } from '../support/fixtures';

interface P {
  id: string;
  email: string;
  name: string | null;
  code: string;
  created_at: string;
  referral_status: string | null;
}

describe.each(dbKinds())('participant search and sort on %s', (db) => {
  let t: TestHub;
  let clock = new Date();
  beforeAll(async () => {
    t = await startTestHub({ db, now: () => clock });
  });
  afterAll(async () => t.close());
  beforeEach(() => {
    clock = new Date();
  });

  const list = (query: string, key?: string) => t.api(`/v1/participants?${query}`, { key });
  const emails = (res: { body: { data: P[] } }) => res.body.data.map((p) => p.email).sort();
  /** Every page of a list, following next_cursor; fails on a page that is not a 200. */
  async function allPages(query: string): Promise<{ rows: P[]; pages: number }> {
    const rows: P[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
      if (res.status !== 200) throw new Error(`page ${pages + 1}: ${res.status} ${JSON.stringify(res.body)}`);
      rows.push(...res.body.data);
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    return { rows, pages };
  }
  /** Display name as the dashboard shows it, lower-cased: the key of the name sort. */
  const nameKey = (p: P) => (p.name || p.email).toLowerCase();
  const byKeyThenId = (key: (p: P) => string) => (a: P, b: P) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

  it('finds participants by part of the email, the name, the code, or the referrer\'s code or email, in any case', async () => {
    const c = await createCampaign(t);
    const rita = await addParticipant(t, { campaign_id: c.id, email: 'rita.sharer@search-one.example.com', first_name: 'Rita', last_name: 'Sharer' });
    const ann = await addParticipant(t, { campaign_id: c.id, email: 'ann.lee@friends.example.com', first_name: 'Ann', last_name: 'Lee', referrer_code: rita.code });
    const bob = await addParticipant(t, { campaign_id: c.id, email: 'bob@other-mail.example.com', first_name: 'Robert', referrer_code: rita.code });
    await addParticipant(t, { campaign_id: c.id, email: 'zed@nowhere.example.com' });
    const scope = `campaign_id=${c.id}`;

    expect(emails(await list(`${scope}&q=FRIENDS.EXAMPLE`))).toEqual([ann.email]);
    expect(emails(await list(`${scope}&q=obert`))).toEqual([bob.email]);
    expect(emails(await list(`${scope}&q=${encodeURIComponent('ann lee')}`))).toEqual([ann.email]);
    expect(emails(await list(`${scope}&q=${ann.code.slice(1, 6).toLowerCase()}`))).toEqual([ann.email]);
    // The referrer's code finds the referrer (own code) and every friend they referred.
    expect(emails(await list(`${scope}&q=${rita.code}`))).toEqual([ann.email, bob.email, rita.email].sort());
    expect(emails(await list(`${scope}&q=${rita.code}&type=referred`))).toEqual([ann.email, bob.email].sort());
    // The referrer's email finds their friends too.
    expect(emails(await list(`${scope}&q=search-one&type=referred`))).toEqual([ann.email, bob.email].sort());
    expect((await list(`${scope}&q=nobody-has-this`)).body).toEqual({ data: [], next_cursor: null });
    // Other filters still narrow the search.
    await t.api('/v1/referrals/qualify', { body: { participant_id: ann.id } });
    expect(emails(await list(`${scope}&q=${rita.code}&referral_status=qualified`))).toEqual([ann.email]);
    expect(emails(await list(`${scope}&q=example.com&referrer_id=${rita.id}`))).toEqual([ann.email, bob.email].sort());
  });

  it('takes %, _ and \\ in the search term literally', async () => {
    const c = await createCampaign(t);
    const under = await addParticipant(t, { campaign_id: c.id, email: 'first_last@wild.example.com' });
    const percent = await addParticipant(t, { campaign_id: c.id, email: 'pct@wild.example.com', first_name: '100%', last_name: 'Sure' });
    const slash = await addParticipant(t, { campaign_id: c.id, email: 'slash@wild.example.com', first_name: 'Back\\Slash' });
    await addParticipant(t, { campaign_id: c.id, email: 'plain@wild.example.com', first_name: 'Plain' });
    const scope = `campaign_id=${c.id}`;
    expect(emails(await list(`${scope}&q=_`))).toEqual([under.email]);
    expect(emails(await list(`${scope}&q=%25`))).toEqual([percent.email]);
    expect(emails(await list(`${scope}&q=${encodeURIComponent('0% s')}`))).toEqual([percent.email]);
    expect(emails(await list(`${scope}&q=${encodeURIComponent('\\')}`))).toEqual([slash.email]);
    expect(emails(await list(`${scope}&q=${encodeURIComponent('k\\s')}`))).toEqual([slash.email]);
    expect(emails(await list(`${scope}&q=t_l`))).toEqual([under.email]);
    expect((await list(`${scope}&q=${encodeURIComponent('f%t')}`)).body.data).toEqual([]);
  });

  it.each([
    ['an empty search', 'q=', 'query.q'],
    ['a blank search', `q=${encodeURIComponent('   ')}`, 'query.q'],
    ['a search of 201 characters', `q=${'a'.repeat(201)}`, 'query.q'],
    ['an unknown sort', 'sort=status', 'query.sort'],
    ['a descending status sort', 'sort=-referral_status', 'query.sort'],
  ])('refuses %s naming the field', async (_label, query, path) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('sorts by sign-up time (the hub clock, not insertion order) and pages with no duplicates or gaps', async () => {
    const c = await createCampaign(t);
    const base = Date.parse('2031-01-10T12:00:00.000Z');
    // Days out of order, several sharing one instant: ties are broken by id.
    const dayOffsets = [5, 1, 3, 3, 3, 0, 4, 2, 2, 6, 1];
    for (const [i, d] of dayOffsets.entries()) {
      clock = new Date(base + d * 86_400_000);
      await addParticipant(t, { campaign_id: c.id, email: `time${i}@sort.example.com` });
    }
    const scope = `campaign_id=${c.id}`;
    const everything = (await list(`${scope}&limit=100`)).body.data as P[];
    const newest = [...everything].sort((a, b) => (a.created_at > b.created_at ? -1 : a.created_at < b.created_at ? 1 : a.id > b.id ? -1 : 1));
    expect(everything.map((p) => p.id)).toEqual(newest.map((p) => p.id));

    const desc = await allPages(`${scope}&limit=3&sort=-created_at`);
    expect(desc.pages).toBe(4);
    expect(desc.rows.map((p) => p.id)).toEqual(newest.map((p) => p.id));
    const asc = await allPages(`${scope}&limit=2&sort=created_at`);
    expect(asc.pages).toBe(6);
    expect(asc.rows.map((p) => p.id)).toEqual([...newest].reverse().map((p) => p.id));
    expect(asc.rows[0].created_at).toBe('2031-01-10T12:00:00.000Z');
  });

  it('sorts by name, A to Z and Z to A, the email standing in for a missing name', async () => {
    const c = await createCampaign(t);
    const people = [
      { email: 'zoe@names.example.com', first_name: 'Zoe', last_name: 'Adams' },
      { email: 'adam@names.example.com', first_name: 'adam' },
      { email: 'bea@names.example.com', first_name: 'Bea', last_name: 'Brown' },
      { email: 'nameless@names.example.com' },
      { email: 'another-nameless@names.example.com' },
      { email: 'bea2@names.example.com', first_name: 'Bea', last_name: 'Brown' },
      { email: 'carl@names.example.com', last_name: 'Carlsen' },
      { email: 'Mia@names.example.com', first_name: 'mia' },
    ];
    for (const p of people) await addParticipant(t, { campaign_id: c.id, ...p });
    const scope = `campaign_id=${c.id}`;
    const all = (await list(`${scope}&limit=100`)).body.data as P[];
    const expected = [...all].sort(byKeyThenId(nameKey));
    expect(expected.slice(0, 3).map((p) => p.name)).toEqual(['adam', null, 'Bea Brown']);

    const az = await allPages(`${scope}&limit=3&sort=name`);
    expect(az.rows.map((p) => p.id)).toEqual(expected.map((p) => p.id));
    const za = await allPages(`${scope}&limit=3&sort=-name`);
    expect(za.rows.map((p) => p.id)).toEqual([...expected].reverse().map((p) => p.id));
  });

  it('sorts by referral status: flagged, pending, qualified, unqualified, then participants without a referral, newest first within each', async () => {
    const c = await createCampaign(t);
    clock = new Date('2031-02-01T00:00:00.000Z');
    const rita = await addParticipant(t, { campaign_id: c.id, email: 'rita@status.example.com' });
    const made: P[] = [];
    for (let i = 0; i < 8; i++) {
      clock = new Date(Date.parse('2031-02-02T00:00:00.000Z') + i * 3_600_000);
      made.push(await addParticipant(t, { campaign_id: c.id, email: `f${i}@status-friends.example.com`, referrer_code: rita.code }));
    }
    // The referrer's own mailbox behind a plus-tag: held by the self-referral check.
    const flagged = await addParticipant(t, { campaign_id: c.id, email: 'rita+me@status.example.com', referrer_code: rita.code });
    expect(flagged.referral_status).toBe('flagged');
    for (const p of [made[1], made[4], made[6]]) await t.api('/v1/referrals/qualify', { body: { participant_id: p.id } });
    await t.api('/v1/referrals/unqualify', { body: { participant_id: made[2].id } });

    const { rows } = await allPages(`campaign_id=${c.id}&limit=2&sort=referral_status`);
    expect(rows.map((p) => p.email)).toEqual([
      flagged.email,
      ...[made[7], made[5], made[3], made[0]].map((p) => p.email),
      ...[made[6], made[4], made[1]].map((p) => p.email),
      made[2].email,
      rita.email,
    ]);
  });

  it('pages a search, and refuses a cursor made under another sort or from another workspace', async () => {
    const c = await createCampaign(t);
    for (let i = 0; i < 7; i++) await addParticipant(t, { campaign_id: c.id, email: `page${i}@paged.example.com`, first_name: `P${6 - i}` });
    await addParticipant(t, { campaign_id: c.id, email: 'outsider@elsewhere.example.com' });
    const scope = `campaign_id=${c.id}&q=paged`;
    for (const sort of ['-created_at', 'created_at', 'name', '-name', 'referral_status']) {
      const { rows, pages } = await allPages(`${scope}&limit=2&sort=${sort}`);
      expect(pages).toBe(4);
      expect(new Set(rows.map((p) => p.id)).size).toBe(7);
      expect(rows.every((p) => p.email.endsWith('@paged.example.com'))).toBe(true);
    }

    const byName = await list(`${scope}&limit=2&sort=name`);
    const nameCursor = byName.body.next_cursor;
    for (const other of ['', '&sort=-created_at', '&sort=-name']) {
      const res = await list(`${scope}&limit=2${other}&cursor=${nameCursor}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors).toEqual([{ path: 'query.cursor', message: expect.stringContaining('sort=name') }]);
    }
    expect((await list(`${scope}&limit=2&sort=name&cursor=${nameCursor}`)).status).toBe(200);

    // A cursor handed out before lists were sortable (the bare last id) still pages newest first.
    const first = (await list(`${scope}&limit=2`)).body as { data: P[] };
    const legacy = Buffer.from(first.data[1].id).toString('base64url');
    const after = await list(`${scope}&limit=2&cursor=${legacy}`);
    const fromNew = await list(`${scope}&limit=2&cursor=${(await list(`${scope}&limit=2`)).body.next_cursor}`);
    expect(after.body.data.map((p: P) => p.id)).toEqual(fromNew.body.data.map((p: P) => p.id));

    // Another workspace cannot page from (or probe) this workspace's participants.
    const other = await t.newWorkspace();
    const res = await list(`limit=2&sort=name&cursor=${nameCursor}`, other.secretKey);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('query.cursor');
    expect((await list('q=paged', other.secretKey)).body.data).toEqual([]);
    expect((await list('cursor=garbage')).status).toBe(400);
  });
});
