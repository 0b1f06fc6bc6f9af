import { dbKinds, startTestHub, type TestHub } from '../../support/hub';
import { addParticipant, createCampaign } from './helpers';

/** Upload a CSV as the raw body, or as a multipart file part (with campaign_id as a field first). */
async function upload(t: TestHub, kind: 'customers' | 'participants', campaignId: string, csv: string, how: 'raw' | 'multipart' = 'raw') {
  if (how === 'raw') return t.api(`/v1/imports/${kind}?campaign_id=${campaignId}`, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
  const form = new FormData();
  form.append('campaign_id', campaignId);
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'list.csv');
  const res = await fetch(`${t.url}/v1/imports/${kind}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${t.secretKey}` } });
  return { status: res.status, body: await res.json() };
}

describe.each(dbKinds())('CSV imports (%s)', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db });
  });
  afterAll(async () => t.close());

  it('adds participants in bulk: imported, referred with a code, existing and invalid rows by line', async () => {
    const c = await createCampaign(t);
    const ann = await addParticipant(t, c.id, 'ann.p@example.com');
    await addParticipant(t, c.id, 'old.p@example.com');
    const csv = [
      'Email,First Name,Last Name,External ID,Referrer Code',
      'carl.p@example.com,Carl,Smith,u-1,',
      `dora.p@example.com,Dora,,u-2,${ann.code.toLowerCase()}`,
      'OLD.p@example.com,Old,,,',
      '',
      'not-an-email,X,,,',
      ',NoEmail,,,',
      'carl.p@example.com,Carl again,,,',
      'eve.p@example.com,Eve,,,NOPE0000',
      'fay.p@example.com,Fay,Jones,u-3,,surplus',
      '"gus.p@example.com","Gus ""The"" Man","Line',
      'two",u-4,',
    ].join('\n');
    const res = await upload(t, 'participants', c.id, csv);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      object: 'import',
      kind: 'participants',
      campaign_id: c.id,
      rows: 9,
      created: 3,
      referred: 1,
      existing: 2,
      invalid_count: 4,
      invalid_truncated: false,
      invalid: [
        { line: 6, reason: "email: 'not-an-email' is not a valid email address" },
        { line: 7, reason: 'email: missing' },
        { line: 9, reason: "referrer_code: no participant with code 'NOPE0000' in this campaign" },
        { line: 10, reason: 'has 6 fields but the header has 5 (a comma inside an unquoted value?)' },
      ],
    });
    const people = (await t.api(`/v1/participants?campaign_id=${c.id}&limit=100`)).body.data;
    const byEmail = Object.fromEntries(people.map((p: any) => [p.email, p]));
    expect(byEmail['carl.p@example.com']).toMatchObject({ type: 'imported', first_name: 'Carl', last_name: 'Smith', external_id: 'u-1', referral_status: null });
    expect(byEmail['dora.p@example.com']).toMatchObject({ type: 'referred', referrer_id: ann.id, referral_status: 'pending' });
    expect(byEmail['gus.p@example.com']).toMatchObject({ first_name: 'Gus "The" Man', last_name: 'Line\ntwo', external_id: 'u-4' });
    expect(byEmail['old.p@example.com'].type).toBe('direct');
    const events = await t.hub.db.query<{ data: any }>("SELECT data FROM events WHERE type = 'participant.created' AND campaign_id = $1", [c.id]);
    expect(events.map((e) => e.data.email).sort()).toEqual(['ann.p@example.com', 'carl.p@example.com', 'dora.p@example.com', 'gus.p@example.com', 'old.p@example.com']);
    const timeline = (await t.api(`/v1/participants/${byEmail['carl.p@example.com'].id}/timeline`)).body.data;
    expect(timeline).toEqual([expect.objectContaining({ kind: 'signup', source: 'csv' })]);

    const again = await upload(t, 'participants', c.id, csv, 'multipart');
    expect(again.body).toMatchObject({ rows: 9, created: 0, referred: 0, existing: 5, invalid_count: 4 });
  });

  it('qualifies the pending referrals a customer list names, once however often it is uploaded', async () => {
    const c = await createCampaign(t, { reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 500, currency: 'USD' }] });
    const ann = await addParticipant(t, c.id, 'ann.c@example.com');
    const bob = await addParticipant(t, c.id, 'bob.c@example.com', { referrer_code: ann.code });
    const cat = await addParticipant(t, c.id, 'cat.c@example.com', { referrer_code: ann.code });
    const dan = await addParticipant(t, c.id, 'dan.c@example.com', { referrer_code: ann.code });
    const eve = await addParticipant(t, c.id, 'eve.c@example.com', { referrer_code: ann.code });
    await t.api('/v1/referrals/qualify', { body: { code: dan.code } });
    await t.api('/v1/referrals/unqualify', { body: { code: eve.code, reason: 'refund' } });
    const csv = [
      'customer_email,referral_code,amount',
      'BOB.c@example.com,,10',
      `,${cat.code},20`,
      'dan.c@example.com,,',
      'eve.c@example.com,,',
      'ann.c@example.com,,',
      'bob.c@example.com,,',
      'stranger@example.com,,',
      'oops,,',
      ',,',
    ].join('\r\n');
    const first = await upload(t, 'customers', c.id, csv, 'multipart');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      kind: 'customers',
      rows: 9,
      matched: 6,
      qualified: 2,
      already_qualified: 2,
      held_for_review: 0,
      not_referred: 1,
      unqualified: 1,
      not_found: 1,
      invalid_count: 2,
      invalid: [
        { line: 9, reason: "email: 'oops' is not a valid email address" },
        { line: 10, reason: 'no email and no code' },
      ],
    });
    for (const p of [bob, cat]) {
      const q = (await t.api(`/v1/participants/${p.id}/timeline`)).body.data.find((e: any) => e.kind === 'qualification');
      expect(q).toMatchObject({ source: 'csv', data: { to: 'qualified' } });
    }
    const rewards = () => t.api('/v1/rewards?limit=100').then((r) => r.body.data.filter((x: any) => x.participant_id === ann.id));
    expect(await rewards()).toHaveLength(3);

    // A refund reverses bob; uploading the same list again must not qualify him a second time.
    await t.api('/v1/referrals/unqualify', { body: { code: bob.code } });
    const again = await upload(t, 'customers', c.id, csv);
    expect(again.body).toMatchObject({ rows: 9, matched: 6, qualified: 0, already_qualified: 2, unqualified: 3, not_referred: 1, not_found: 1, invalid_count: 2 });
    expect((await t.api(`/v1/participants/${bob.id}`)).body.referral_status).toBe('unqualified');
    expect((await rewards()).filter((r: any) => r.status !== 'declined')).toHaveLength(2);
  });

  it('refuses a bad upload before writing anything', async () => {
    const c = await createCampaign(t);
    const noCampaign = await t.api('/v1/imports/participants', { body: 'email\na@example.com\n', headers: { 'content-type': 'text/csv' } });
    expect([noCampaign.status, noCampaign.body.errors[0].path]).toEqual([400, 'campaign_id']);
    const unknown = await upload(t, 'participants', 'cmp_nope', 'email\na@example.com\n');
    expect([unknown.status, unknown.body.errors[0].path]).toEqual([400, 'campaign_id']);
    const json = await t.api(`/v1/imports/participants?campaign_id=${c.id}`, { body: { email: 'a@example.com' } });
    expect(json.status).toBe(415);
    const header = await upload(t, 'participants', c.id, 'mail_addr,name\na@example.com,A\n');
    expect([header.status, header.body.errors[0].path]).toEqual([400, 'file']);
    expect(header.body.detail).toContain('email');
    const customersHeader = await upload(t, 'customers', c.id, 'name\nA\n');
    expect(customersHeader.body.detail).toContain('email or code');
    const empty = await upload(t, 'customers', c.id, '');
    expect(empty.status).toBe(400);
    const noFile = new FormData();
    noFile.append('campaign_id', c.id);
    const res = await fetch(`${t.url}/v1/imports/customers`, { method: 'POST', body: noFile, headers: { authorization: `Bearer ${t.secretKey}` } });
    expect(res.status).toBe(400);
    expect((await t.api(`/v1/participants?campaign_id=${c.id}`)).body.data).toEqual([]);
  });

  it('stops at an unclosed quote, naming the line', async () => {
    const c = await createCampaign(t);
    const res = await upload(t, 'participants', c.id, 'email,first_name\na@example.com,"Ann\nb@example.com,Bo\n');
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/line \d+/);
    expect(res.body.errors[0].path).toBe('file');
  });

});
