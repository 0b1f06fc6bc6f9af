import { dbKinds, startTestHub, type TestHub } from '../../support/hub';
import { addParticipant, createCampaign } from './helpers';

/** The customer list is the 100,000-row file; the participant list that sets the scene has 20,000 rows (20 batches). */
const ROWS = 100_000;
const PEOPLE = 20_000;

/** What row i of the generated participant file is, so the expected summary is counted, not guessed. */
function participantRow(i: number, referrerCodes: string[]): { csv: string; kind: 'plain' | 'referred' | 'bad_email' | 'unknown_code' | 'repeat' } {
  if (i % 997 === 7) return { csv: `bad-email-${i},Bad,,x${i},`, kind: 'bad_email' };
  if (i % 4999 === 11) return { csv: `p${i}@example.com,P${i},,x${i},NOPE0000`, kind: 'unknown_code' };
  if (i % 3331 === 5) return { csv: `p${i - 1}@example.com,Again,,,`, kind: 'repeat' };
  // A repeat of a row two batches back: found by the lookup, not by the batch's own bookkeeping.
  if (i % 5000 === 4999) return { csv: `p${i - 2000}@example.com,Again,,,`, kind: 'repeat' };
  if (i % 200 === 1) return { csv: `p${i}@example.com,P${i},Friend,x${i},${referrerCodes[Math.floor(i / 200) % referrerCodes.length]}`, kind: 'referred' };
  return { csv: `p${i}@example.com,P${i},Person,x${i},`, kind: 'plain' };
}

/** Row i of the generated customer list: the people of the participant list, then strangers. */
function customerRow(i: number): { csv: string; kind: 'person' | 'stranger' | 'broken' } {
  if (i % 1999 === 9) return { csv: `broken-${i},1.00`, kind: 'broken' };
  if (i % 997 === 3 || i >= PEOPLE) return { csv: `stranger${i}@example.com,49.00`, kind: 'stranger' };
  return { csv: `P${i}@Example.com,${i % 100}.00`, kind: 'person' };
}

async function upload(t: TestHub, kind: 'customers' | 'participants', campaignId: string, csv: string) {
  const started = Date.now();
  const res = await t.api(`/v1/imports/${kind}?campaign_id=${campaignId}`, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' } });
  return { ...res, ms: Date.now() - started };
}

describe.each(dbKinds())('100,000-row CSV import (%s)', (db) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub({ db });
  });
  afterAll(async () => t.close());

  it('imports participants, then a 100,000-row customer list qualifies the referred, with exact summaries; re-uploads change nothing', async () => {
    const c = await createCampaign(t, { reward_rules: [{ trigger: 'each_qualified', kind: 'credit', amount: 500, currency: 'USD' }] });
    const referrers = await Promise.all([0, 1, 2, 3, 4].map((n) => addParticipant(t, c.id, `referrer${n}@example.com`)));
    const codes = referrers.map((r) => r.code);

    const kinds: Record<string, number> = { plain: 0, referred: 0, bad_email: 0, unknown_code: 0, repeat: 0 };
    const kindOf: string[] = [];
    const lines = ['email,first_name,last_name,external_id,referrer_code'];
    for (let i = 0; i < PEOPLE; i++) {
      const row = participantRow(i, codes);
      kinds[row.kind]++;
      kindOf[i] = row.kind;
      lines.push(row.csv);
    }
    const participantsCsv = lines.join('\n') + '\n';
    const first = await upload(t, 'participants', c.id, participantsCsv);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      rows: PEOPLE,
      created: kinds.plain + kinds.referred,
      referred: kinds.referred,
      existing: kinds.repeat,
      invalid_count: kinds.bad_email + kinds.unknown_code,
      invalid_truncated: false,
    });
    expect(first.body.invalid).toHaveLength(kinds.bad_email + kinds.unknown_code);
    expect(first.body.invalid[0]).toEqual({ line: 9, reason: "email: 'bad-email-7' is not a valid email address" });
    expect(first.body.invalid).toContainEqual({ line: 13, reason: "referrer_code: no participant with code 'NOPE0000' in this campaign" });
    const [{ n }] = await t.hub.db.query<{ n: number }>('SELECT count(*) AS n FROM participants WHERE campaign_id = $1', [c.id]);
    expect(n).toBe(5 + kinds.plain + kinds.referred);

    // A customer list naming everyone: the referred among them qualify.
    const expected = { matched: 0, qualified: 0, not_referred: 0, not_found: 0, invalid_count: 0 };
    const customerLines = ['Email Address,Amount'];
    for (let i = 0; i < ROWS; i++) {
      const row = customerRow(i);
      customerLines.push(row.csv);
      if (row.kind === 'broken') expected.invalid_count++;
      // Rows the participant file did not add (invalid, or a repeat of the row before) are nobody.
      else if (row.kind === 'stranger' || kindOf[i] !== 'plain' && kindOf[i] !== 'referred') expected.not_found++;
      else {
        expected.matched++;
        if (kindOf[i] === 'referred') expected.qualified++;
        else expected.not_referred++;
      }
    }
    const customersCsv = customerLines.join('\n');
    const customers = await upload(t, 'customers', c.id, customersCsv);
    expect(customers.status).toBe(200);
    expect(customers.body).toMatchObject({ rows: ROWS, ...expected, already_qualified: 0, held_for_review: 0, unqualified: 0 });
    expect(expected.qualified).toBeGreaterThan(90);
    expect(expected.invalid_count).toBeGreaterThan(40);
    const rewards = await t.hub.db.query<{ n: number }>('SELECT count(*) AS n FROM rewards WHERE campaign_id = $1', [c.id]);
    expect(rewards[0].n).toBe(expected.qualified);

    const participantsAgain = await upload(t, 'participants', c.id, participantsCsv);
    expect(participantsAgain.body).toMatchObject({ rows: PEOPLE, created: 0, referred: 0, existing: kinds.plain + kinds.referred + kinds.repeat });
    const customersAgain = await upload(t, 'customers', c.id, customersCsv);
    expect(customersAgain.body).toMatchObject({ rows: ROWS, qualified: 0, already_qualified: expected.qualified, not_referred: expected.not_referred });
    const rewardsAfter = await t.hub.db.query<{ n: number }>('SELECT count(*) AS n FROM rewards WHERE campaign_id = $1', [c.id]);
    expect(rewardsAfter[0].n).toBe(expected.qualified);

    process.stdout.write(
      `CSV imports (${db}): 20k participants ${first.ms} ms, 100k customers ${customers.ms} ms, re-uploads ${participantsAgain.ms} + ${customersAgain.ms} ms\n`,
    );
  }, 240_000);
});
