import { dbKinds } from '../../support/hub';
import { hubspotEvent, startHubSpotEnv, waitFor, type HubSpotEnv, type HubSpotScenario } from './support';

jest.setTimeout(120_000);

const VIP_LIST = '42';
/** Starting a hub (PGlite, migrations) can take long on a busy 2-core machine: hooks get this much. */
const HOOK_TIMEOUT_MS = 180_000;

describe.each(dbKinds())('HubSpot ongoing sync over a list on %s', (db) => {
  let env: HubSpotEnv;
  let s: HubSpotScenario;

  beforeAll(async () => {
    env = await startHubSpotEnv({ db });
    s = await env.scenario();
    expect((await s.connect()).status).toBe(200);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await env?.close();
  }, HOOK_TIMEOUT_MS);

  const emailsInCampaign = async () => {
    const res = await s.api(`/v1/participants?campaign_id=${s.campaignId}&limit=100`);
    return res.body.data.map((p: { email: string }) => p.email).sort();
  };
  const newContact = (email: string, firstname: string) => s.hs.store.writeContact(null, { email, firstname }).record;
  /** HubSpot's `contact.creation` events for these contacts, signed (v3) and posted to the inbound URL. */
  const announce = async (...contactIds: string[]) => {
    const events = contactIds.map((id) => hubspotEvent({ type: 'contact.creation', objectId: id, portalId: s.hs.store.portalId }));
    const { body, headers } = s.hs.signedDelivery(await s.inboundUrl(), events);
    return s.deliver(body, headers);
  };
  const eventOf = async (contactId: string) => {
    const [row] = await s.t.hub.db.query<{ status: string; outcome: string | null }>(
      "SELECT status, outcome FROM vendor_events WHERE workspace_id = $1 AND kind = 'contact_created' AND vendor_event_id = $2",
      [s.workspaceId, `contact:${contactId}:created`],
    );
    return row ?? null;
  };
  const settled = (contactId: string) =>
    waitFor(async () => {
      const row = await eventOf(contactId);
      return row && row.status !== 'received' ? row : null;
    }, `contact ${contactId}'s creation settled`);
  const linkOf = (contactId: string) => s.hs.store.contacts.get(contactId)?.properties.referral_link;

  it('imports only the contacts HubSpot counts in the list when their creation comes in', async () => {
    const vera = newContact('vera@vip.example', 'Vera');
    newContact('paul@plain.example', 'Paul');
    s.hs.store.addToList(VIP_LIST, [vera.id]);
    const started = await s.api('/v1/integrations/hubspot/sync', { body: { mode: 'ongoing', filter: { list_id: VIP_LIST } } });
    expect(started.status).toBe(202);
    const syncUrl = `/v1/integrations/hubspot/syncs/${started.body.id}`;
    await waitFor(async () => (await s.api(syncUrl)).body.state === 'completed', 'the first walk');
    expect(await emailsInCampaign()).toEqual(['vera@vip.example']);

    const otto = newContact('otto@plain.example', 'Otto');
    const vic = newContact('vic@vip.example', 'Vic');
    s.hs.store.addToList(VIP_LIST, [vic.id]);
    // An active list HubSpot recalculates only after the creation was checked: the contact stays out.
    const lena = newContact('lena@vip.example', 'Lena');
    const delivered = await announce(otto.id, vic.id, lena.id);
    expect(delivered.status).toBe(200);
    expect(delivered.body).toMatchObject({ received: 3, stored: 3 });

    await waitFor(async () => linkOf(vic.id), 'the member linked');
    for (const outsider of [otto, lena]) {
      expect(await settled(outsider.id)).toEqual({ status: 'ignored', outcome: `contact ${outsider.id} is not in the ongoing sync's filter {"list_id":"${VIP_LIST}"}` });
      expect(linkOf(outsider.id)).toBeUndefined();
    }
    s.hs.store.addToList(VIP_LIST, [lena.id]);
    expect(await settled(vic.id)).toMatchObject({ status: 'applied', outcome: 'contact created' });
    expect(await emailsInCampaign()).toEqual(['vera@vip.example', 'vic@vip.example']);

    // The filter stayed with the run; HubSpot was asked, contact by contact, which lists each one is in.
    expect((await s.api(syncUrl)).body).toMatchObject({ mode: 'ongoing', filter: { list_id: VIP_LIST }, created: 2 });
    const checks = s.hs.requestsTo('GET /crm/v3/lists/records/:objectTypeId/:recordId/memberships');
    expect(checks.map((r) => r.path).sort()).toEqual([otto.id, vic.id, lena.id].map((id) => `/crm/v3/lists/records/0-1/${id}/memberships`).sort());
  });

  it('keeps importing every new contact when the ongoing sync has no list', async () => {
    const started = await s.api('/v1/integrations/hubspot/sync', { body: { mode: 'ongoing' } });
    expect(started.status).toBe(202);
    await waitFor(async () => (await s.api(`/v1/integrations/hubspot/syncs/${started.body.id}`)).body.state === 'completed', 'the unfiltered walk');
    s.hs.clearRequests();
    const nora = newContact('nora@plain.example', 'Nora');
    expect((await announce(nora.id)).status).toBe(200);
    await waitFor(async () => linkOf(nora.id), 'the new contact linked');
    expect(await settled(nora.id)).toMatchObject({ status: 'applied', outcome: 'contact created' });
    expect(s.hs.requestsTo('GET /crm/v3/lists/records/:objectTypeId/:recordId/memberships')).toEqual([]);
  });

  it('finds new contacts by polling when no webhook announces them, and imports a contact heard of both ways once', async () => {
    const p = await env.scenario();
    expect((await p.connect({ polling: { enabled: true, interval_seconds: 1 } })).status).toBe(200);
    const started = await p.api('/v1/integrations/hubspot/sync', { body: { mode: 'ongoing' } });
    expect(started.status).toBe(202);
    const syncUrl = `/v1/integrations/hubspot/syncs/${started.body.id}`;
    await waitFor(async () => (await p.api(syncUrl)).body.state === 'completed', 'the first walk');
    // The first poll only marks where the next one starts.
    await waitFor(() => p.hs.requestsTo('POST /crm/v3/objects/contacts/search').length > 0 || null, 'the first poll');
    await new Promise((r) => setTimeout(r, 1100));

    const ines = p.hs.store.writeContact(null, { email: 'ines@polled.example', firstname: 'Ines' }).record;
    await waitFor(async () => p.hs.store.contacts.get(ines.id)?.properties.referral_link, 'the polled contact linked', 30_000);
    const [row] = await p.t.hub.db.query<{ status: string; outcome: string }>(
      "SELECT status, outcome FROM vendor_events WHERE workspace_id = $1 AND vendor_event_id = $2",
      [p.workspaceId, `contact:${ines.id}:created`],
    );
    expect(row).toEqual({ status: 'applied', outcome: 'contact created' });

    // HubSpot's contact.creation webhook for the same contact arrives late: nothing new.
    const events = [hubspotEvent({ type: 'contact.creation', objectId: ines.id, portalId: p.hs.store.portalId })];
    const { body, headers } = p.hs.signedDelivery(await p.inboundUrl(), events);
    expect((await p.deliver(body, headers)).body).toMatchObject({ received: 1, stored: 0, duplicates: 1 });
    const campaign = await p.api(`/v1/participants?campaign_id=${p.campaignId}&limit=100`);
    expect(campaign.body.data.filter((x: { email: string }) => x.email === 'ines@polled.example')).toHaveLength(1);
    expect((await p.api(syncUrl)).body).toMatchObject({ mode: 'ongoing', created: 1 });
  });
});
