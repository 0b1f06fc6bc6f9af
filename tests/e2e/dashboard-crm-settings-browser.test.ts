import { startFakeHubSpot, type FakeHubSpot } from '../fakes/hubspot';
import { startSalesforceFake, type SalesforceFake } from '../fakes/salesforce';
import { startFakeStripe, type FakeStripe } from '../fakes/stripe';
import { createCampaign } from '../support/fixtures';
import { startTestHub, type TestHub } from '../support/hub';
import { describeInBrowser, openDashboard, type DashboardSession } from './dashboard-session';

jest.setTimeout(180_000);

describeInBrowser('dashboard settings forms for HubSpot, Salesforce and Stripe', () => {
  let t: TestHub;
  let stripe: FakeStripe;
  let hubspot: FakeHubSpot;
  let sf: SalesforceFake;
  let d: DashboardSession;
  let campaign: { id: string };
  const card = (name: string) => d.page.locator('section', { has: d.page.getByRole('heading', { name, exact: true }) });

  beforeAll(async () => {
    stripe = await startFakeStripe();
    hubspot = await startFakeHubSpot();
    sf = await startSalesforceFake({ customFields: { Lead: ['Referral_Code__c', 'Referral_Link__c'], Contact: ['Referral_Code__c'], Opportunity: [] } });
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
    await hubspot?.close();
    await sf?.close();
  }, 60_000);

  it('connects HubSpot with its qualifying deal stage and unqualifying lead status picked from the portal, and a deal next to each contact', async () => {
    const h = card('HubSpot');
    await h.getByText('Connect', { exact: true }).click();
    await h.getByLabel('Private app access token').fill(hubspot.token);
    await h.getByLabel('API base URL (optional)').fill(hubspot.url);
    await h.getByRole('button', { name: 'Load choices from HubSpot' }).click();
    await h.getByText(/^Choices loaded from HubSpot: 1 pipeline · 8 lifecycle stage values · 8 lead status values/).waitFor();
    // The default rule, from the connector: lifecycle stage reaches Customer.
    await expect(h.getByLabel('Qualify a referral when: lifecycle stage').inputValue()).resolves.toBe('customer');
    await h.getByLabel('Qualify a referral when', { exact: true }).selectOption({ label: 'An associated deal enters a stage' });
    await h.getByLabel('Qualify a referral when: deal pipeline').selectOption({ label: 'Sales Pipeline' });
    await h.getByLabel('Qualify a referral when: deal stage').selectOption({ label: 'Closed Won' });
    await h.getByLabel('Unqualify it when', { exact: true }).selectOption({ label: 'The lead status becomes' });
    await h.getByLabel('Unqualify it when: lead status').selectOption({ label: 'Unqualified' });
    await h.getByLabel('Create a deal next to each contact').check();
    await h.getByLabel('Deal stage', { exact: true }).selectOption({ label: 'Qualified To Buy' });
    await h.getByLabel('Deal name').fill('Referral from {campaign}: {name}');
    await h.getByLabel('Deal name').blur();
    await d.shot('18-integrations-hubspot-rules');
    await h.getByRole('button', { name: 'Connect HubSpot' }).click();
    await h.locator('.badge', { hasText: /^connected$/ }).waitFor();
    expect((await t.api('/v1/integrations/hubspot')).body.settings).toMatchObject({
      qualify: { when: 'deal_stage', pipeline_id: 'default', stage_id: 'closedwon' },
      unqualify: { when: 'lead_status', value: 'UNQUALIFIED' },
      deal: { pipeline_id: 'default', stage_id: 'qualifiedtobuy', name: 'Referral from {campaign}: {name}' },
      create_properties: true,
    });
  });

  it('connects Salesforce with referral fields and qualifying picklist values read from the org', async () => {
    const s = card('Salesforce');
    const creds = sf.tokenCredentials();
    await s.getByText('Connect', { exact: true }).click();
    await s.getByLabel('Instance URL').fill(creds.instance_url);
    await s.getByLabel('Access token').fill(creds.access_token);
    await s.getByLabel('API base URL (optional)').fill(sf.url);
    await s.getByRole('button', { name: 'Load choices from Salesforce' }).click();
    await s.getByText(/^Choices loaded from Salesforce:/).waitFor();
    await s.getByLabel('Field for the referral code').selectOption({ label: 'Referral Code' });
    // The link is written on Leads and read back on the Contacts a sync reads: only fields both have are offered.
    await expect(s.getByLabel('Field for the referral link').locator('option').allTextContents()).resolves.not.toContain('Referral Link');
    await s.getByLabel('A contact sync reads').selectOption({ label: 'Leads' });
    await s.getByLabel('Field for the referral link').selectOption({ label: 'Referral Link' });
    await s.getByLabel('Qualify when the Lead status is').selectOption({ label: 'Closed - Converted' });
    await s.getByLabel('Unqualify when an Opportunity reaches').selectOption({ label: 'Closed Lost' });
    await s.getByLabel('Notice changes through').selectOption({ label: 'Polling with SOQL' });
    await s.getByLabel('Poll every (seconds)').fill('120');
    await s.getByLabel('Poll every (seconds)').blur();
    await s.getByRole('button', { name: 'Connect Salesforce' }).click();
    await s.locator('.badge', { hasText: /^connected$/ }).waitFor({ timeout: 20_000 }).catch(async (err) => {
      throw new Error(`${err}\n${await s.innerText()}`);
    });
    await d.shot('19-integrations-salesforce');
    expect((await t.api('/v1/integrations/salesforce')).body.settings).toMatchObject({
      push_as: 'lead',
      referral_code_field: 'Referral_Code__c',
      referral_link_field: 'Referral_Link__c',
      qualified_lead_status: 'Closed - Converted',
      qualified_opportunity_stage: 'Closed Won',
      unqualified_opportunity_stage: 'Closed Lost',
      detection: 'polling',
      poll_interval_seconds: 120,
      sync_object: 'Lead',
    });
    expect(d.errors).toEqual([]);
  });

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
    const metadata = s.getByRole('group', { name: 'Customer metadata' });
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
    const saving = d.page.waitForResponse((r) => r.url().endsWith('/v1/integrations/stripe') && r.request().method() === 'PUT');
    await s.getByRole('button', { name: 'Save' }).click();
    expect((await saving).status()).toBe(200);
    expect((await t.api('/v1/integrations/stripe')).body.settings.campaigns).toEqual({ [campaign.id]: { min_total_spend: 10000 } });
    expect(d.errors).toEqual([]);
  });
});
