import { addParticipant, createCampaign } from '../../support/fixtures';
import { connectPipedrive, eventsSettled, participant, pushedIds, referralStatus, startWorld, HOOK_TIMEOUT_MS, type PipedriveWorld } from './support';

describe('Pipedrive: lead mode, leads converted to deals, and qualify-with-code through the code field', () => {
  let w: PipedriveWorld;
  let leadCampaign: any;
  let quietCampaign: any;
  let connected: any;
  const dealField = (name: string) => w.pd.state.dealFields.find((f) => f.name === name)!.key;

  beforeAll(async () => {
    w = await startWorld();
    leadCampaign = w.campaign;
    // A campaign whose sign-ups are not pushed: its deals are made by hand in Pipedrive.
    quietCampaign = await createCampaign(w.t, { name: 'Partners' });
    const res = await connectPipedrive(w, {
      pipeline_id: 2,
      qualified_stage_id: 13,
      create_fields: true,
      campaigns: { [leadCampaign.id]: { send_as: 'lead', deal_fields: { title: 'Lead: {name} ({campaign})' } }, [quietCampaign.id]: { push_types: [] } },
    });
    expect(res.status).toBe(200);
    connected = res.body;
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await w.close();
  }, HOOK_TIMEOUT_MS);

  it('sends a referred sign-up as a lead linked to its person, with the mapped deal fields', async () => {
    expect([...w.pd.state.webhooks.values()].map((h) => `${h.event_action}.${h.event_object}`).sort()).toEqual(['change.deal', 'change.lead', 'create.person']);
    expect(connected.webhooks.map((h: any) => h.event).sort()).toEqual(['change.deal', 'change.lead', 'create.person']);

    const referrer = await addParticipant(w.t, { campaign_id: leadCampaign.id, email: 'rita@example.com', first_name: 'Rita', last_name: 'R' });
    const friend = await addParticipant(w.t, { campaign_id: leadCampaign.id, email: 'lena@example.com', first_name: 'Lena', last_name: 'Lead', referrer_code: referrer.code });
    const ids = await pushedIds(w.t, friend.id, 'lead');
    expect(ids.lead).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(ids.deal).toBeUndefined();
    const lead = w.pd.state.leads.get(ids.lead)!;
    expect(lead).toMatchObject({ title: `Lead: Lena Lead (${leadCampaign.name})`, person_id: Number(ids.person) });
    expect(lead.custom_fields).toEqual({ [dealField('Referral code')]: friend.code, [dealField('Referred by')]: 'Rita R' });
    // v1 leads take the custom fields as top-level keys.
    const [sent] = w.pd.fake.requestsTo('POST /api/v1/leads');
    expect(sent.body).toEqual({ title: lead.title, person_id: Number(ids.person), [dealField('Referral code')]: friend.code, [dealField('Referred by')]: 'Rita R' });
    expect(w.pd.state.deals.size).toBe(0);

    // The team converts the lead into a deal and later moves it to the qualified stage.
    const deal = w.pd.convertLead(ids.lead, 2, 11);
    const [delivery] = await w.pd.moveDeal(deal.id, 13);
    expect(delivery).toMatchObject({ status: 200, response: { stored: 2 } });
    await referralStatus(w.t, friend.id, 'qualified');
    const events = await eventsSettled(w.t, 1);
    // Followed through the deal's source_lead_id to the lead we pushed.
    expect(events[0].outcome).toContain('matched by record');
    expect(w.pd.fake.requestsTo('GET /api/v2/deals/:id').map((r) => r.query)).toEqual([{ include_fields: 'source_lead_id' }]);
  });

  it('qualifies a deal made by hand in Pipedrive when its Referral code field carries the code', async () => {
    const referrer = await addParticipant(w.t, { campaign_id: quietCampaign.id, email: 'paul@example.com', first_name: 'Paul' });
    const friend = await addParticipant(w.t, { campaign_id: quietCampaign.id, email: 'quinn@example.com', first_name: 'Quinn', referrer_code: referrer.code });
    const person = (await w.pd.addPerson({ name: 'Quinn Q', email: 'quinn@example.com' }, { deliver: false })).person;
    const deal = w.pd.addDeal({ title: 'Partner deal', person_id: person.id, pipeline_id: 2, stage_id: 12, custom_fields: { [dealField('Referral code')]: friend.code.toLowerCase() } });

    const [delivery] = await w.pd.moveDeal(deal.id, 13);
    expect(delivery).toMatchObject({ status: 200, response: { stored: 2 } });
    const qualified = await referralStatus(w.t, friend.id, 'qualified');
    expect(qualified.referral_status).toBe('qualified');
    // Not pushed (push_types is empty for this campaign): nothing was made in Pipedrive for it (the hand-made deal's stage may show).
    expect((await participant(w.t, friend.id)).crm.pipedrive?.ids ?? {}).toEqual({});
    expect(w.pd.fake.requestsTo('POST /api/v1/leads')).toHaveLength(1);
    const events = await eventsSettled(w.t, 2);
    expect(events[1].outcome).toContain('matched by referral_code');
  });

  it("falls back to the deal person's email when the deal carries neither our id nor a code", async () => {
    const referrer = await addParticipant(w.t, { campaign_id: quietCampaign.id, email: 'pam@example.com', first_name: 'Pam' });
    const friend = await addParticipant(w.t, { campaign_id: quietCampaign.id, email: 'eve@example.com', first_name: 'Eve', referrer_code: referrer.code });
    const person = (await w.pd.addPerson({ name: 'Eve E', email: 'EVE@example.com' }, { deliver: false })).person;
    const deal = w.pd.addDeal({ title: 'Eve deal', person_id: person.id, pipeline_id: 2, stage_id: 11 });
    await w.pd.moveDeal(deal.id, 13);
    await referralStatus(w.t, friend.id, 'qualified');
    const events = await eventsSettled(w.t, 3);
    expect(events[2].outcome).toContain('matched by email');
  });
});
