import { startFakePipedrive, type FakePipedrive } from '../../fakes/pipedrive';
import { createCampaign } from '../../support/fixtures';
import { startTestHub, type TestHub, type TestHubOptions } from '../../support/hub';
import { waitFor as waitUntil } from '../../support/wait';

/** Starting a hub (PGlite, migrations) can take long on a busy 2-core machine: hooks get this much. */
export const HOOK_TIMEOUT_MS = 180_000;

/** A hub, a fake Pipedrive company and a campaign; retries are scaled down so a retried job runs in ms. */
export interface PipedriveWorld {
  t: TestHub;
  pd: FakePipedrive;
  campaign: any;
  close(): Promise<void>;
}

export async function startWorld(hub: TestHubOptions = {}): Promise<PipedriveWorld> {
  const pd = await startFakePipedrive();
  const t = await startTestHub({ worker: { retryDelayScale: 0.001 }, ...hub });
  const campaign = hub.workspace === false ? null : await createCampaign(t);
  return {
    t,
    pd,
    campaign,
    async close() {
      await t.close();
      await pd.close();
    },
  };
}

/** PUT /v1/integrations/pipedrive with the fake's API token, pointing the SDK at the fake. */
export function connectPipedrive(w: PipedriveWorld, settings: Record<string, unknown>, credentials: Record<string, unknown> = { api_token: w.pd.apiToken }) {
  return w.t.api('/v1/integrations/pipedrive', { method: 'PUT', body: { credentials, settings, api_base_url: w.pd.url } });
}

/** Poll until `probe` answers something truthy (jobs run in the background). */
/** `waitFor` with the description first, as these suites call it. */
export const waitFor = <T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> => waitUntil(probe, what, timeoutMs);

/** The participant as the API shows it. */
export async function participant(t: TestHub, id: string) {
  const res = await t.api(`/v1/participants/${id}`);
  if (res.status !== 200) throw new Error(`participant ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Wait until the participant was pushed to Pipedrive and answer its Pipedrive ids. */
export async function pushedIds(t: TestHub, id: string, object: 'deal' | 'lead'): Promise<Record<string, string>> {
  return waitFor(`participant ${id} pushed as a ${object}`, async () => {
    const p = await participant(t, id);
    const ids = p.crm?.pipedrive?.ids;
    return ids && ids[object] ? ids : null;
  });
}

/** Wait until the participant's referral status is `status`. */
export async function referralStatus(t: TestHub, id: string, status: string) {
  return waitFor(`participant ${id} ${status}`, async () => {
    const p = await participant(t, id);
    return p.referral_status === status ? p : null;
  });
}

/**
 * The vendor events stored for the integration, straight from the table (to prove nothing was
 * stored): the rule and contact events; the `stage` event every deal move also makes is followed
 * in stage-deals.test.ts.
 */
export async function vendorEvents(t: TestHub): Promise<Array<{ vendor_event_id: string; status: string; outcome: string | null }>> {
  return t.hub.db.query("SELECT vendor_event_id, status, outcome FROM vendor_events WHERE vendor = 'pipedrive' AND kind <> 'stage' ORDER BY received_at");
}

/** Wait until every stored vendor event was applied (or ignored). */
export async function eventsSettled(t: TestHub, count: number) {
  return waitFor(`${count} vendor events settled`, async () => {
    const rows = await vendorEvents(t);
    return rows.length >= count && rows.every((r) => r.status !== 'received') ? rows : null;
  });
}
