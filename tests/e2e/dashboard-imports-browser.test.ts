import { addParticipant, createCampaign } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { describeInBrowser, openDashboard, type DashboardSession } from './dashboard-session';

// A hub start and a browser launch take a while on a busy 2-core machine.
jest.setTimeout(180_000);

/** Enough rows that the browser reports upload progress on the way. */
const BULK = 2_500;

describeInBrowser('dashboard CSV imports in a real browser', () => {
  let t: TestHub;
  let s: DashboardSession;
  let spring: { id: string; name: string };
  let ann: { id: string; code: string };
  /** What the upload's status line said, in order (recorded in the page as it changes). */
  const statuses: string[] = [];

  beforeAll(async () => {
    t = await startTestHub();
    spring = await createCampaign(t, { name: 'Spring friends' });
    await createCampaign(t, { name: 'Autumn friends' });
    ann = await addParticipant(t, { campaign_id: spring.id, email: 'ann@spring.example' });
    s = await openDashboard(t);
    await s.page.exposeFunction('noteUploadStatus', (text: string) => statuses.push(text));
  }, 180_000);
  afterAll(async () => {
    await s?.close();
    await t?.close();
  }, 60_000);

  const page = () => s.page;
  const facts = async () => page().locator('.summary dl').innerText();
  const invalidRows = async () =>
    page()
      .locator('.invalid-lines tbody tr')
      .evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent)));
  const watchStatus = () =>
    page().evaluate(() => {
      const line = document.querySelector('.upload-status');
      const note = (window as unknown as { noteUploadStatus(text: string): void }).noteUploadStatus;
      if (line) new MutationObserver(() => note(line.textContent ?? '')).observe(line, { childList: true, characterData: true, subtree: true });
    });

  it('adds participants from a CSV into the chosen campaign, with progress and every invalid line explained', async () => {
    await page().getByRole('navigation').getByRole('link', { name: 'Imports' }).click();
    await page().getByRole('heading', { name: 'Imports', level: 1 }).waitFor();
    await watchStatus();

    // The form says what each kind of file holds, with a sample to start from.
    await page().getByLabel('What the file holds').selectOption('participants');
    await page().getByText('email (required), first_name, last_name, external_id, referrer_code').waitFor();
    await page().getByText('A sample file').click();
    await expect(page().locator('pre').innerText()).resolves.toContain('email,first_name,last_name,external_id,referrer_code');
    await page().getByLabel('Into campaign').selectOption({ label: 'Spring friends' });

    const lines = ['Email,First Name,Last Name,External ID,Referrer Code'];
    for (let i = 0; i < BULK; i++) lines.push(`member${i}@spring.example,Member,${i},m-${i},`);
    lines.push(
      `dora@spring.example,Dora,,d-1,${ann.code.toLowerCase()}`, // line BULK + 2: referred by Ann
      'ANN@spring.example,Ann,,,', // already in the campaign
      'not-an-email,X,,,',
      ',NoEmail,,,',
      'member0@spring.example,Again,,,', // repeated in the file
      'eve@spring.example,Eve,,,NOPE0000',
    );
    await page()
      .getByLabel('CSV file')
      .setInputFiles({ name: 'participants.csv', mimeType: 'text/csv', buffer: Buffer.from(`${lines.join('\n')}\n`) });
    await page().getByRole('button', { name: 'Upload CSV' }).click();
    await page().getByText('Done: participants.csv imported into Spring friends.').waitFor();
    await s.shot('imports-01-participants');

    expect(statuses[0]).toBe('Uploading participants.csv…');
    expect(statuses.some((text) => /^Uploading participants\.csv: \d+ %$/.test(text))).toBe(true);
    expect(statuses).toContain('participants.csv sent; the hub is reading it…');
    const bar = page().getByRole('progressbar', { name: 'Upload progress' });
    // Full, and measured in bytes of the file sent (not a bare 0–100 placeholder).
    const [value, max] = await bar.evaluate((el) => (el instanceof HTMLProgressElement ? [el.value, el.max] : [0, 0]));
    expect(value).toBe(max);
    expect(max).toBeGreaterThan(BULK * 30);

    // Counts read as a person reads them: 2,506, not 2506.
    const thousands = (n: number) => n.toLocaleString('en');
    await page().getByText(`participants.csv into Spring friends: ${thousands(BULK + 6)} rows read`).waitFor();
    const shown = await facts();
    expect(shown).toMatch(new RegExp(`Rows read\\s+${thousands(BULK + 6)}`));
    expect(shown).toMatch(new RegExp(`Created\\s+${thousands(BULK + 1)}`));
    expect(shown).toMatch(/Of them referred\s+1/);
    expect(shown).toMatch(/Already there\s+2/);
    expect(shown).toMatch(/Invalid\s+3/);
    await page().getByText('Invalid lines (3)').waitFor();
    expect(await invalidRows()).toEqual([
      [String(BULK + 4), "email: 'not-an-email' is not a valid email address"],
      [String(BULK + 5), 'email: missing'],
      [String(BULK + 7), "referrer_code: no participant with code 'NOPE0000' in this campaign"],
    ]);

    // What the page reported is what the hub holds, in the campaign chosen in the form.
    const dora = (await t.api(`/v1/participants?campaign_id=${spring.id}&email=dora@spring.example`)).body.data;
    expect(dora).toEqual([expect.objectContaining({ type: 'referred', referrer_id: ann.id })]);
    const member = (await t.api(`/v1/participants?email=member7@spring.example`)).body.data;
    expect(member).toEqual([expect.objectContaining({ campaign_id: spring.id, type: 'imported', external_id: 'm-7' })]);
  });

  it('qualifies the referrals a customer CSV names and says what matched, what qualified and what did not', async () => {
    const bob = await addParticipant(t, { campaign_id: spring.id, email: 'bob@spring.example', referrer_code: ann.code });
    expect(bob.referral_status).toBe('pending');
    statuses.length = 0;

    await page().getByLabel('What the file holds').selectOption('customers');
    await page().getByText('email and/or code (the referral code)').waitFor();
    const csv = ['email,code', 'bob@spring.example,', `,${ann.code}`, 'nobody@nowhere.example,', 'not-an-email,'].join('\n');
    await page().getByLabel('CSV file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page().getByRole('button', { name: 'Upload CSV' }).click();
    await page().getByText('Done: customers.csv imported into Spring friends.').waitFor();
    await s.shot('imports-02-customers');

    expect(statuses[0]).toBe('Uploading customers.csv…');
    const shown = await facts();
    expect(shown).toMatch(/Rows read\s+4/);
    expect(shown).toMatch(/Matched a participant\s+2/);
    expect(shown).toMatch(/Qualified now\s+1/);
    expect(shown).toMatch(/Not referred\s+1/);
    expect(shown).toMatch(/Not found\s+1/);
    expect(shown).toMatch(/Invalid\s+1/);
    expect(await invalidRows()).toEqual([['5', "email: 'not-an-email' is not a valid email address"]]);
    expect((await t.api(`/v1/participants/${bob.id}`)).body.referral_status).toBe('qualified');
  });

  it('shows the hub’s refusal of a file without the columns it needs, and imports nothing', async () => {
    await page().getByLabel('What the file holds').selectOption('participants');
    await page().getByLabel('CSV file').setInputFiles({ name: 'wrong.csv', mimeType: 'text/csv', buffer: Buffer.from('mail_addr,name\nzed@spring.example,Zed\n') });
    await page().getByRole('button', { name: 'Upload CSV' }).click();
    await page().getByText('wrong.csv was not imported.').waitFor();
    await expect(page().getByRole('alert').innerText()).resolves.toContain('email');
    await s.shot('imports-03-refused');
    expect((await t.api('/v1/participants?email=zed@spring.example')).body.data).toEqual([]);
    expect(s.errors).toEqual([]);
  });
});
