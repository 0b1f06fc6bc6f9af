import type { TinyContact } from './support/tiny-crm';
import { dbKinds } from '../../support/hub';
import { startIntegrationEnv, VENDOR, waitFor, type IntegrationEnv, type Scenario } from './support/setup';

describe.each(dbKinds())('inbound vendor webhooks: verified, stored once, applied through the qualification path (%s)', (kind) => {
  let env: IntegrationEnv;
  let s: Scenario;
  let inboundUrl: string;
  beforeAll(async () => {
    env = await startIntegrationEnv(kind);
  });
  beforeEach(async () => {
    s = await env.scenario();
    const connected = await s.connect({ qualify_stage: 'won', unqualify_stage: 'lost' });
    inboundUrl = connected.body.inbound_url;
  });
  afterAll(async () => env.close());

  const post = (delivery: { body: string; headers: Record<string, string> }) => fetch(inboundUrl, { method: 'POST', body: delivery.body, headers: delivery.headers });
  const db = () => env.t.hub.db;
  const eventsStored = async () => (await db().query<{ n: number }>('SELECT count(*)::int AS n FROM vendor_events WHERE workspace_id = $1', [s.workspaceId]))[0].n;
  const status = async (id: string) => (await s.api(`/v1/participants/${id}`)).body.referral_status as string;
  const settled = async () =>
    waitFor(async () => (await db().query("SELECT 1 FROM vendor_events WHERE workspace_id = $1 AND status = 'received'", [s.workspaceId])).length === 0, 'vendor events applied');
  /** A referral whose friend was pushed to the CRM: its contact there. */
  const pushedReferral = async () => {
    const r = await s.referral();
    const contactId = await waitFor(async () => (await s.api(`/v1/participants/${r.friend.id}`)).body.crm?.[VENDOR]?.ids?.contact as string | undefined, 'push');
    const contact = s.crm.contacts.get(contactId) as TinyContact;
    return { ...r, contact };
  };
  const staged = (contact: TinyContact, stage: string, occurredAt?: string) => s.crm.event('contact.stage_changed', { ...contact, stage }, occurredAt ? { occurred_at: occurredAt } : {});

  it('qualifies the referral when the contact reaches the qualifying stage, and creates the reward', async () => {
    const { referrer, friend, contact } = await pushedReferral();
    const res = await post(s.crm.signedDelivery([staged(contact, 'won')]));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 1, stored: 1, duplicates: 0 });
    await waitFor(async () => (await status(friend.id)) === 'qualified', 'qualified');
    const rewards = await s.api('/v1/rewards');
    expect(rewards.body.data).toEqual([expect.objectContaining({ participant_id: referrer.id, referral_id: friend.id, amount: 1000 })]);
    const timeline = await s.api(`/v1/participants/${friend.id}/timeline`);
    expect(timeline.body.data).toContainEqual(expect.objectContaining({ kind: 'qualification', source: VENDOR }));
  });

  it('changes nothing twice for replays, and keeps the raw body the signature covers', async () => {
    const { friend, contact } = await pushedReferral();
    const delivery = s.crm.signedDelivery([staged(contact, 'won')]);
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await (await post(delivery)).json());
    expect(answers[0]).toMatchObject({ stored: 1 });
    for (const a of answers.slice(1)) expect(a).toEqual({ received: 1, stored: 0, duplicates: 1 });
    await settled();
    expect(await status(friend.id)).toBe('qualified');
    expect(await eventsStored()).toBe(1);
    const [q] = await db().query<{ n: number }>('SELECT count(*)::int AS n FROM qualifications WHERE participant_id = $1', [friend.id]);
    expect(q.n).toBe(1);
    expect((await s.api('/v1/rewards')).body.data).toHaveLength(1);
    // The same JSON re-serialised (different bytes) no longer matches the signature.
    const reformatted = JSON.stringify(JSON.parse(delivery.body), null, 2);
    expect((await post({ body: reformatted, headers: delivery.headers })).status).toBe(401);
  });

  it('answers 401 to an unverified delivery and stores nothing; 404 to an unknown URL', async () => {
    const { contact } = await pushedReferral();
    const forged = s.crm.signedDelivery([staged(contact, 'won')], 'not-the-secret');
    const res = await post(forged);
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'unauthorized', detail: expect.stringContaining('x-tiny-signature') });
    expect((await post({ body: forged.body, headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect(await eventsStored()).toBe(0);
    const unknown = await fetch(inboundUrl.replace(/[^/]+$/, 'nope'), { method: 'POST', body: forged.body });
    expect(unknown.status).toBe(404);
  });

  it('applies out-of-order deliveries by when they happened: an older change never undoes a newer one', async () => {
    const { friend, contact } = await pushedReferral();
    const t0 = Date.now();
    const won = staged(contact, 'won', new Date(t0 - 60_000).toISOString());
    const lost = staged(contact, 'lost', new Date(t0).toISOString());
    await post(s.crm.signedDelivery([lost]));
    await waitFor(async () => (await status(friend.id)) === 'unqualified', 'unqualified');
    await post(s.crm.signedDelivery([won]));
    await settled();
    expect(await status(friend.id)).toBe('unqualified');
    const rows = await db().query<{ vendor_event_id: string; status: string }>('SELECT vendor_event_id, status FROM vendor_events WHERE workspace_id = $1 ORDER BY received_at', [s.workspaceId]);
    expect(rows).toEqual([
      { vendor_event_id: lost.id, status: 'applied' },
      { vendor_event_id: won.id, status: 'superseded' },
    ]);
  });

  it('finds the participant by stored record id, else by the referral code on the vendor record, else by email', async () => {
    const byRecord = await pushedReferral();
    const byCode = await s.referral();
    const byEmail = await s.referral();
    const stranger = (email: string, code: string | null): TinyContact => ({ id: `99${Math.floor(Math.random() * 1e6)}`, email, first_name: null, last_name: null, stage: 'won', referral_code: code, referral_link: null });
    await post(
      s.crm.signedDelivery([
        staged({ ...byRecord.contact, email: 'changed@example.com' }, 'won'),
        staged(stranger('someone-else@example.com', byCode.friend.code), 'won'),
        staged(stranger(byEmail.friend.email.toUpperCase(), null), 'won'),
        staged(stranger('nobody@example.com', null), 'won'),
      ]),
    );
    await settled();
    for (const r of [byRecord, byCode, byEmail]) expect(await status(r.friend.id)).toBe('qualified');
    const outcomes = await db().query<{ status: string; outcome: string }>('SELECT status, outcome FROM vendor_events WHERE workspace_id = $1 ORDER BY received_at, id', [s.workspaceId]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['qualified (matched by record)', 'qualified (matched by referral_code)', 'qualified (matched by email)', expect.stringMatching(/^no participant matches/)]);
    expect(outcomes[3].status).toBe('ignored');
  });

  it('follows per-campaign rules: a stage qualifies only the campaigns whose rule names it', async () => {
    const other = await s.api('/v1/campaigns', { body: { name: 'Other', destination_url: 'https://shop.example.com/' } });
    await s.api(`/v1/integrations/${VENDOR}`, { method: 'PUT', body: { settings: { campaigns: { [s.campaignId]: { qualify_stage: 'won' }, [other.body.id]: { qualify_stage: 'paid' } } } } });
    const { friend, contact } = await pushedReferral();
    await post(s.crm.signedDelivery([staged(contact, 'paid')]));
    await settled();
    expect(await status(friend.id)).toBe('pending');
    await post(s.crm.signedDelivery([staged(contact, 'won')]));
    await waitFor(async () => (await status(friend.id)) === 'qualified', 'qualified by its own campaign rule');
  });

  it('sums spend by payment, whatever the order and repetition, and unqualifies on a refund below the threshold', async () => {
    await s.api(`/v1/integrations/${VENDOR}`, { method: 'PUT', body: { settings: { campaigns: { [s.campaignId]: { min_total_spend: 5000, within_days: 30 } } } } });
    const { friend, contact } = await pushedReferral();
    const pay = (id: string, amount: number, refund = false) =>
      s.crm.event(refund ? 'payment.refunded' : 'payment.succeeded', contact, { payment: { id, amount, currency: 'usd' } });
    const first = pay('ch_1', 3000);
    await post(s.crm.signedDelivery([first, first]));
    await post(s.crm.signedDelivery([{ ...first, id: 'ev_again_about_ch_1' }]));
    await settled();
    expect(await status(friend.id)).toBe('pending');
    await post(s.crm.signedDelivery([pay('ch_2', 2500)]));
    await waitFor(async () => (await status(friend.id)) === 'qualified', 'qualified at 5500');
    expect((await s.api('/v1/rewards')).body.data).toHaveLength(1);
    await post(s.crm.signedDelivery([pay('re_1', 1000, true)]));
    await waitFor(async () => (await status(friend.id)) === 'unqualified', 'unqualified at 4500');
    expect((await s.api('/v1/rewards')).body.data[0].status).toBe('declined');
  });

  it('imports contacts created at the vendor while an ongoing sync runs, and writes their link back', async () => {
    s.crm.seedContacts(2);
    const sync = await s.api(`/v1/integrations/${VENDOR}/sync`, { body: { mode: 'ongoing' } });
    expect(sync.status).toBe(202);
    await waitFor(async () => (await s.api(`/v1/integrations/${VENDOR}/syncs/${sync.body.id}`)).body.state === 'completed', 'initial pass');
    const fresh: TinyContact = { id: '777001', email: 'new-lead@tiny.test', first_name: 'Nina', last_name: null, stage: 'new', referral_code: null, referral_link: null };
    s.crm.contacts.set(fresh.id, fresh);
    await post(s.crm.signedDelivery([s.crm.event('contact.created', fresh)]));
    const participant = await waitFor(async () => (await s.api(`/v1/participants?email=new-lead@tiny.test&campaign_id=${s.campaignId}`)).body.data[0], 'imported');
    expect(participant).toMatchObject({ type: 'imported', first_name: 'Nina', crm: { [VENDOR]: { ids: { contact: '777001' }, origin: 'sync' } } });
    await waitFor(() => s.crm.contacts.get('777001')?.referral_link === participant.referral_link, 'link written back');
    expect(s.crm.contacts.get('777001')?.referral_code).toBe(participant.code);
    const progress = await s.api(`/v1/integrations/${VENDOR}/syncs/${sync.body.id}`);
    expect(progress.body).toMatchObject({ processed: 3, created: 3 });
  });
});
