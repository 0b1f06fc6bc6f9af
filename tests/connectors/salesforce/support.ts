import { startSalesforceFake, type SalesforceFake } from '../../fakes/salesforce';
import { addParticipant, createCampaign } from '../../support/fixtures';
import { startTestHub, type TestHub, type TestHubOptions } from '../../support/hub';
import { waitFor as waitUntil } from '../../support/wait';

/** Custom fields the test org has: the referral fields on Leads and Contacts, the code on Opportunities. */
export const customFields = {
  Lead: ['Referral_Code__c', 'Referral_Link__c', 'Referred_By__c'],
  Contact: ['Referral_Code__c', 'Referral_Link__c'],
  Opportunity: ['Referral_Code__c'],
};

export const referralSettings = { referral_code_field: 'Referral_Code__c', referral_link_field: 'Referral_Link__c', referred_by_field: 'Referred_By__c' };

/** A hub (worker included, retries scaled down, polls offered every 200 ms), a fake Salesforce org and a campaign. */
export interface SalesforceWorld {
  t: TestHub;
  sf: SalesforceFake;
  campaign: any;
  close(): Promise<void>;
}

export async function startWorld(hub: TestHubOptions = {}): Promise<SalesforceWorld> {
  const sf = await startSalesforceFake({ customFields });
  const t = await startTestHub({ worker: { retryDelayScale: 0.001, every: { 'crm.poll': 200 } }, ...hub });
  const campaign = await createCampaign(t);
  return {
    t,
    sf,
    campaign,
    async close() {
      await t.close();
      await sf.close();
    },
  };
}

/** PUT /v1/integrations/salesforce: the web-server flow's tokens, jsforce pointed at the fake. */
export function connectSalesforce(w: SalesforceWorld, settings: Record<string, unknown>, credentials: Record<string, unknown> = w.sf.tokenCredentials()) {
  return w.t.api('/v1/integrations/salesforce', { method: 'PUT', body: { credentials, settings, api_base_url: w.sf.url } });
}

/** Poll until `probe` answers something truthy (jobs and streams run in the background). */
/** `waitFor` with the description first, as these suites call it. */
export const waitFor = <T>(what: string, probe: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 20_000): Promise<T> => waitUntil(probe, what, timeoutMs);

export async function participant(t: TestHub, id: string) {
  const res = await t.api(`/v1/participants/${id}`);
  if (res.status !== 200) throw new Error(`participant ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A referrer and a friend who signed up with its code. */
export async function referral(w: SalesforceWorld, email: string, extra: Record<string, unknown> = {}) {
  const referrer = await addParticipant(w.t, { campaign_id: w.campaign.id, email: `ref-${email}`, first_name: 'Rita', last_name: 'Referrer' });
  const friend = await addParticipant(w.t, { campaign_id: w.campaign.id, email, first_name: 'Fred', last_name: 'Friend', referrer_code: referrer.code, ...extra });
  return { referrer, friend };
}

/** Wait until the participant was pushed and answer its Salesforce ids. */
export async function pushedIds(t: TestHub, id: string, object: 'lead' | 'contact' = 'lead'): Promise<Record<string, string>> {
  return waitFor(`participant ${id} pushed as a ${object}`, async () => {
    const ids = (await participant(t, id)).crm?.salesforce?.ids;
    return ids && ids[object] ? ids : null;
  });
}

export async function referralStatus(t: TestHub, id: string, status: string, timeoutMs?: number) {
  return waitFor(
    `participant ${id} ${status}`,
    async () => {
      const p = await participant(t, id);
      return p.referral_status === status ? p : null;
    },
    timeoutMs,
  );
}

/** The SOQL queries the fake answered, decoded. */
export function queries(sf: SalesforceFake): string[] {
  return sf.http.requestsTo('GET /services/data/v62.0/query').map((r) => r.query.q ?? '');
}
