import { startFakePipedrive, type FakePipedrive } from '../fakes/pipedrive';
import { addParticipant, createCampaign } from '../support/fixtures';
import { waitFor } from '../support/wait';
import { startTestHub, type TestHub } from '../support/hub';
import { describeInBrowser, openDashboard, type DashboardSession } from './dashboard-session';

jest.setTimeout(180_000);

describeInBrowser('dashboard integrations page against a Pipedrive fake', () => {
  let t: TestHub;
  let pd: FakePipedrive;
  let d: DashboardSession;
  let page: DashboardSession['page'];
  let campaign: { id: string };

  beforeAll(async () => {
    pd = await startFakePipedrive();
    t = await startTestHub({ worker: { retryDelayScale: 0.001 } });
    campaign = await createCampaign(t, { name: 'Spring referrals' });
    d = await openDashboard(t);
    page = d.page;
  }, 180_000);
  afterAll(async () => {
    await d?.close();
    await t?.close();
    await pd?.close();
  }, 60_000);

  it('connects Pipedrive with pickers and a field mapping, then syncs its persons with a live progress bar', async () => {
    // Two pages of Pipedrive's 500: the bar moves while the second is read. Pipedrive tells no total,
    // so the bar is indeterminate until the run ends.
    pd.seedPersons(600);
    await page.getByRole('navigation').getByRole('link', { name: 'Integrations' }).click();
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Pipedrive' }) });
    await card.getByText('not connected').waitFor();
    const codeField = pd.addField('person', 'Referral code');
    await card.getByText('Connect', { exact: true }).click();
    await card.getByLabel('API token').fill(pd.apiToken);
    await card.getByLabel('API base URL (optional)').fill(pd.url);

    // Before the first connect the pickers are filled from the token just typed (not saved yet).
    await card.getByRole('button', { name: 'Load choices from Pipedrive' }).click();
    await card.getByText(/^Choices loaded from Pipedrive: 2 pipelines/).waitFor();
    expect((await t.api('/v1/integrations/pipedrive')).status).toBe(404);
    await expect(card.getByLabel('Pipeline', { exact: true }).locator('option').allTextContents()).resolves.toEqual(['Choose…', 'Sales', 'Referrals']);
    // A stage picked in one pipeline is cleared when another pipeline is chosen.
    await card.getByLabel('Pipeline', { exact: true }).selectOption({ label: 'Sales' });
    await card.getByLabel('Qualify when a deal enters').selectOption({ label: 'Negotiation' });
    await card.getByLabel('Pipeline', { exact: true }).selectOption({ label: 'Referrals' });
    await expect(card.getByLabel('Qualify when a deal enters').inputValue()).resolves.not.toBe('3');
    await expect(card.getByLabel('Stage new deals start in').locator('option').allTextContents()).resolves.toEqual(['The pipeline’s first stage', 'New referral', 'Demo booked', 'Customer']);
    await card.getByLabel('Qualify when a deal enters').selectOption({ label: 'Customer' });
    await card.getByLabel('Unqualify when a deal is lost').check();
    await card.getByLabel(/Create “Referral code”, “Referral link” and “Referred by” fields/).check();
    // Field mapping: the custom person field made in Pipedrive, filled with the referral code.
    const person = card.getByRole('group', { name: 'Person fields' });
    await person.getByRole('button', { name: 'Add a field' }).click();
    await person.getByLabel('Person fields, row 2: field').selectOption({ label: 'Referral code' });
    await person.getByLabel('Template for Referral code').fill('{code}');
    await person.getByLabel('Template for Referral code').blur();
    await d.shot('14-integrations-pickers');
    await card.getByRole('button', { name: 'Connect Pipedrive' }).click();
    await card.locator('.badge', { hasText: /^connected$/ }).waitFor();
    const saved = (await t.api('/v1/integrations/pipedrive')).body;
    expect(saved.status).toBe('connected');
    expect(saved.settings).toMatchObject({ send_as: 'deal', pipeline_id: 2, qualified_stage_id: 13, unqualify_on_lost: true, person_fields: { name: '{name}', [codeField]: '{code}' } });
    // The fields Referloop made in Pipedrive are mapped too (the link is written back on sync).
    expect(Object.values(saved.settings.person_fields)).toContain('{referral_link}');
    expect(saved.settings.stage_id ?? 11).toBe(11);

    // One campaign gets its own qualifying stage; the pickers now come from the stored token.
    await card.getByText('Change credentials or settings').click();
    await card.getByText(/^Choices loaded from Pipedrive/).waitFor();
    await card.getByLabel('Rules for').selectOption({ label: 'Spring referrals' });
    await card.getByRole('button', { name: 'Give Spring referrals its own rules' }).click();
    await expect(card.getByLabel('Qualify when a deal enters').locator('option').first().textContent()).resolves.toBe('Same as defaults (Customer)');
    await card.getByLabel('Qualify when a deal enters').selectOption({ label: 'Demo booked' });
    const saving = page.waitForResponse((r) => r.url().endsWith('/v1/integrations/pipedrive') && r.request().method() === 'PUT');
    await card.getByRole('button', { name: 'Save' }).click();
    expect((await saving).status()).toBe(200);
    const own = (await t.api('/v1/integrations/pipedrive')).body.settings.campaigns;
    expect(own).toEqual({ [campaign.id]: { qualified_stage_id: 12 } });

    await card.getByRole('button', { name: 'Sync contacts' }).click();
    const bar = card.getByRole('progressbar', { name: 'pipedrive sync progress' });
    await bar.waitFor();
    await card.getByText(/^completed: 600 contacts · 600 created · 0 updated · 0 failed/).waitFor().catch(async (err) => {
      throw new Error(`${err}\n${await card.innerText()}\n${JSON.stringify((await t.api('/v1/integrations/pipedrive/syncs')).body)}`);
    });
    await expect(bar.evaluate((el: HTMLProgressElement) => [el.value, el.max])).resolves.toEqual([100, 100]);
    await card.getByText(/Last sync: completed 600 contacts, 0 failed/).waitFor({ timeout: 15_000 }).catch(async (err) => {
      throw new Error(`${err}\n${await card.innerText()}`);
    });
    await d.shot('15-integrations-synced');
    const participants = await t.api('/v1/participants?type=imported&limit=1');
    expect(participants.body.data).toHaveLength(1);

  });

  it('shows where a referred lead’s deal stands in Pipedrive, in the leads table and on the lead’s page', async () => {
    const referrer = await addParticipant(t, { campaign_id: campaign.id, email: 'rita@referrers.example.com', first_name: 'Rita' });
    const friend = await addParticipant(t, { campaign_id: campaign.id, email: 'fred@friends.example.com', first_name: 'Fred', referrer_code: referrer.code });
    const dealId = await waitFor(async () => (await t.api(`/v1/participants/${friend.id}`)).body.crm?.pipedrive?.ids?.deal, 'the referral pushed as a deal');
    // Sales moves the deal on in Pipedrive; the webhook tells the hub.
    await pd.moveDeal(Number(dealId), 12);
    await waitFor(async () => (await t.api(`/v1/participants/${friend.id}`)).body.crm?.pipedrive?.stage?.stage === 'Demo booked', 'the stage from the webhook');
    await page.getByRole('navigation').getByRole('link', { name: 'Leads' }).click();
    const row = page.locator('table.leads tbody tr', { hasText: 'Fred' });
    await row.getByText(`stage Referrals › Demo booked`).waitFor();
    await row.getByRole('link', { name: 'Fred' }).click();
    await page.getByRole('heading', { level: 1, name: 'Fred' }).waitFor();
    await page.getByText(new RegExp(`^Pipedrive .*deal ${dealId}.* · stage Referrals › Demo booked$`)).waitFor();
    await d.shot('20-lead-with-crm-stage');
  });

  it('disconnects Pipedrive', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'Integrations' }).click();
    const card = page.locator('section', { has: page.getByRole('heading', { name: 'Pipedrive' }) });
    await card.getByRole('button', { name: 'Disconnect Pipedrive' }).click();
    await card.locator('.badge', { hasText: /^disconnected$/ }).waitFor();
    expect((await t.api('/v1/integrations/pipedrive')).body.status).toBe('disconnected');
  });
});
