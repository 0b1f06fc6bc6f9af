import { startFakeStripe, type FakeStripe } from '../fakes/stripe';
import { createCampaign } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { describeInBrowser, openDashboard, type DashboardSession } from './dashboard-session';

jest.setTimeout(180_000);

describeInBrowser('dashboard settings forms for HubSpot, Salesforce and Stripe', () => {
  let t: TestHub;
  let stripe: FakeStripe;
  let d: DashboardSession;
  let campaign: { id: string };
  const card = (name: string) => d.page.locator('section', { has: d.page.getByRole('heading', { name, exact: true }) });

  beforeAll(async () => {
    stripe = await startFakeStripe();
    t = await startTestHub();
    campaign = await createCampaign(t, { name: 'Shop friends' });
    d = await openDashboard(t);
    await d.page.getByRole('navigation').getByRole('link', { name: 'Integrations' }).click();
    await d.page.getByRole('heading', { level: 1, name: 'Integrations' }).waitFor();
  }, 180_000);
  afterAll(async () => {
    await d?.close();
    await t?.close();
    await stripe?.close();
  }, 60_000);

  it('connects Stripe with a spend rule in the currency’s units and customer metadata mapped in rows', async () => {
    const s = card('Stripe');
    await s.getByText('Connect', { exact: true }).click();
    await s.getByLabel('Secret or restricted key').fill(stripe.secretKey);
    await s.getByLabel('API base URL (optional)').fill(stripe.url);
    await s.getByLabel('Stripe customers for sign-ups').selectOption({ label: 'Make one only when none has the email' });
    await s.getByLabel('Currency spend is counted in').fill('usd');
    await s.getByLabel('Currency spend is counted in').blur();
    await s.getByLabel('Qualify when the friend has spent at least (USD)').fill('49.90');
    await s.getByLabel('within (days after sign-up)').fill('14');
    const metadata = s.locator('fieldset', { has: d.page.getByText('Customer metadata', { exact: true }) });
    // First name and email are required by the connector: their rows cannot be removed.
    await expect(metadata.getByRole('button', { name: 'Remove Email' }).isDisabled()).resolves.toBe(true);
    await metadata.getByRole('button', { name: 'Add a field' }).click();
    const row = (await metadata.locator('.mapping-row').count()) - 1;
    await metadata.getByLabel(`Customer metadata, row ${row + 1}: participant field`).selectOption({ label: 'Referrer code' });
    // A key already used is refused by the hub, and the form says which setting.
    await metadata.getByLabel('Metadata key for Referrer code').fill('referloop_email');
    await metadata.getByLabel('Metadata key for Referrer code').blur();
    await s.getByRole('button', { name: 'Connect Stripe' }).click();
    await s.getByRole('alert').getByText(/settings\.metadata: the Stripe metadata key 'referloop_email' is used twice/).waitFor();
    expect((await t.api('/v1/integrations/stripe')).status).toBe(404);

    await metadata.getByLabel('Metadata key for Referrer code').fill('referloop_referrer_code');
    await metadata.getByLabel('Metadata key for Referrer code').blur();
    await s.getByRole('button', { name: 'Connect Stripe' }).click();
    await s.locator('.badge', { hasText: /^connected$/ }).waitFor();
    await d.shot('16-integrations-stripe');
    const saved = (await t.api('/v1/integrations/stripe')).body;
    expect(saved.settings).toMatchObject({
      customer_creation: 'if_not_exists',
      currency: 'usd',
      min_total_spend: 4990,
      within_days: 14,
      metadata: { first_name: 'referloop_first_name', email: 'referloop_email', referrer_code: 'referloop_referrer_code' },
    });

    // One campaign needs more spend; it keeps the other defaults.
    await s.getByText('Change credentials or settings').click();
    await s.getByLabel('Rules for').selectOption({ label: 'Shop friends' });
    await s.getByRole('button', { name: 'Give Shop friends its own rules' }).click();
    await expect(s.getByLabel('Qualify when the friend has spent at least (USD)').getAttribute('placeholder')).resolves.toBe('Same as defaults (49.9)');
    await s.getByLabel('Qualify when the friend has spent at least (USD)').fill('100');
    await s.getByLabel('Qualify when the friend has spent at least (USD)').blur();
    await d.shot('17-integrations-stripe-campaign-rules');
    await s.getByRole('button', { name: 'Save' }).click();
    await s.getByLabel('Rules for').locator('option', { hasText: 'Shop friends (own rules)' }).waitFor({ state: 'attached' });
    expect((await t.api('/v1/integrations/stripe')).body.settings.campaigns).toEqual({ [campaign.id]: { min_total_spend: 10000 } });
    expect(d.errors).toEqual([]);
  });
});
