import { pipedriveTiming } from '../../../connectors/pipedrive/client';
import { addParticipant, createCampaign } from '../../support/fixtures';
import { connectPipedrive, eventsSettled, participant, pushedIds, referralStatus, startWorld, vendorEvents, waitFor, HOOK_TIMEOUT_MS, type PipedriveWorld } from './support';

describe('Pipedrive: connect, push referred sign-ups as deals, qualify on the deal stage', () => {
  let w: PipedriveWorld;
  beforeAll(async () => {
    w = await startWorld();
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await w.close();
  }, HOOK_TIMEOUT_MS);

  it('runs the whole loop: connect, configure a pipeline, a referred sign-up becomes a deal, the qualified stage qualifies it and rewards the referrer', async () => {
    const { t, pd } = w;
    const referrerEmailField = pd.addField('deal', 'Referrer email');

    const connected = await connectPipedrive(w, {
      pipeline_id: 2,
      qualified_stage_id: 13,
      create_fields: true,
      deal_fields: { title: 'Referral: {first_name} via {referrer}', [referrerEmailField]: '{referrer_email}' },
    });
    expect(connected.status).toBe(200);
    expect(connected.body).toMatchObject({ vendor: 'pipedrive', status: 'connected', account: { id: '7654321', name: 'Acme Sales' } });
    expect(JSON.stringify(connected.body)).not.toContain(pd.apiToken);
    const settings = connected.body.settings;
    // The pipeline's first stage became the start stage; the referral fields were created and mapped.
    expect(settings.stage_id).toBe(11);
    const personField = (name: string) => pd.state.personFields.find((f) => f.name === name)!.key;
    const dealField = (name: string) => pd.state.dealFields.find((f) => f.name === name)!.key;
    expect(settings.person_fields).toEqual({ name: '{name}', [personField('Referral code')]: '{code}', [personField('Referral link')]: '{referral_link}', [personField('Referred by')]: '{referrer}' });
    expect(settings.deal_fields).toMatchObject({ [dealField('Referral code')]: '{code}', [dealField('Referred by')]: '{referrer}', [referrerEmailField]: '{referrer_email}' });

    // Our webhooks at Pipedrive: v2, basic auth, to the inbound URL.
    const hooks = [...pd.state.webhooks.values()];
    expect(hooks.map((h) => `${h.event_action}.${h.event_object}`).sort()).toEqual(['change.deal', 'create.person']);
    for (const h of hooks) expect(h).toMatchObject({ version: '2.0', subscription_url: connected.body.inbound_url, http_auth_user: expect.stringMatching(/^referloop-/), http_auth_password: expect.any(String) });
    expect(connected.body.webhooks).toHaveLength(2);

    const referrer = await addParticipant(t, { campaign_id: w.campaign.id, email: 'rita@example.com', first_name: 'Rita', last_name: 'Referrer' });
    const friend = await addParticipant(t, { campaign_id: w.campaign.id, email: 'fiona@example.com', first_name: 'Fiona', last_name: 'Friend', referrer_code: referrer.code });
    const ids = await pushedIds(t, friend.id, 'deal');

    const person = pd.state.persons.get(Number(ids.person))!;
    expect(person).toMatchObject({ name: 'Fiona Friend', emails: [{ value: 'fiona@example.com', primary: true, label: 'work' }] });
    expect(person.custom_fields).toEqual({ [personField('Referral code')]: friend.code, [personField('Referral link')]: friend.referral_link, [personField('Referred by')]: 'Rita Referrer' });
    const deal = pd.state.deals.get(Number(ids.deal))!;
    expect(deal).toMatchObject({ title: 'Referral: Fiona via Rita Referrer', person_id: person.id, pipeline_id: 2, stage_id: 11, status: 'open' });
    expect(deal.custom_fields).toEqual({ [dealField('Referral code')]: friend.code, [dealField('Referred by')]: 'Rita Referrer', [referrerEmailField]: 'rita@example.com' });
    // The direct participant (the referrer) is not a referred one: not pushed.
    expect((await participant(t, referrer.id)).crm.pipedrive).toBeUndefined();
    expect(pd.state.persons.size).toBe(1);

    // A move to another stage is no qualification (only the deal's new stage); the qualified stage is.
    const demo = await pd.moveDeal(deal.id, 12);
    expect(demo.map((d) => d.status)).toEqual([200]);
    expect(demo[0].response).toMatchObject({ received: 1 });
    const won = await pd.moveDeal(deal.id, 13);
    expect(won.map((d) => d.status)).toEqual([200]);
    expect(won[0].response).toMatchObject({ received: 2, stored: 2 });
    const qualified = await referralStatus(t, friend.id, 'qualified');
    expect(qualified.referral_status).toBe('qualified');

    const rewards = await waitFor('the referrer reward', async () => {
      const res = await t.api(`/v1/rewards?participant_id=${referrer.id}`);
      const mine = (res.body.data ?? []).filter((r: any) => r.participant_id === referrer.id);
      return mine.length > 0 ? mine : null;
    });
    expect(rewards).toEqual([expect.objectContaining({ recipient: 'referrer', referral_id: friend.id, amount: 1000, currency: 'USD' })]);
    const [event] = await eventsSettled(t, 1);
    expect(event).toMatchObject({ status: 'applied', outcome: expect.stringContaining('qualified (matched by record)') });
  });

  it('never makes a second person for an email: an existing Pipedrive person is reused, across campaigns too', async () => {
    const { t, pd } = w;
    const second = await createCampaign(t, { name: 'Second program' });
    const known = (await pd.addPerson({ name: 'Gus Existing', email: 'Gus@Example.com' }, { deliver: false })).person;
    const referrer = await addParticipant(t, { campaign_id: w.campaign.id, email: 'rex@example.com', first_name: 'Rex' });
    const otherReferrer = await addParticipant(t, { campaign_id: second.id, email: 'ria@example.com', first_name: 'Ria' });
    const a = await addParticipant(t, { campaign_id: w.campaign.id, email: 'gus@example.com', first_name: 'Gus', referrer_code: referrer.code });
    const b = await addParticipant(t, { campaign_id: second.id, email: 'gus@example.com', first_name: 'Gus', referrer_code: otherReferrer.code });
    const idsA = await pushedIds(t, a.id, 'deal');
    const idsB = await pushedIds(t, b.id, 'deal');

    expect(idsA.person).toBe(String(known.id));
    expect(idsB.person).toBe(String(known.id));
    expect([...pd.state.persons.values()].filter((p) => p.emails.some((e) => e.value.toLowerCase() === 'gus@example.com'))).toHaveLength(1);
    // The salesperson's spelling of the name stays; our fields are added.
    expect(known.name).toBe('Gus Existing');
    expect(Object.values(known.custom_fields)).toContain(b.code);
    expect(idsA.deal).not.toBe(idsB.deal);
    expect(pd.fake.requestsTo('GET /api/v2/persons/search').map((r) => r.query)).toContainEqual({ term: 'gus@example.com', fields: 'email', exact_match: 'true', limit: '10' });
  });

  it('retries a push whose deal answer was lost into the deal it made, never a second one', async () => {
    const { t, pd } = w;
    const saved = pipedriveTiming.timeoutMs;
    pipedriveTiming.timeoutMs = 1_000;
    // Pipedrive makes the deal, but its answer comes after our client gave up.
    pd.fake.fail('POST /api/v2/deals', { answerAfterMs: 3_000 });
    try {
      const referrer = await addParticipant(t, { campaign_id: w.campaign.id, email: 'lou@example.com', first_name: 'Lou' });
      const friend = await addParticipant(t, { campaign_id: w.campaign.id, email: 'late@example.com', first_name: 'Lata', referrer_code: referrer.code });
      const ids = await pushedIds(t, friend.id, 'deal');
      const deals = [...pd.state.deals.values()].filter((d) => d.person_id === Number(ids.person));
      expect(deals.map((d) => String(d.id))).toEqual([ids.deal]);
      expect(pd.fake.requestsTo('POST /api/v2/deals').filter((r) => (r.body as any).person_id === Number(ids.person))).toHaveLength(1);
      expect(pd.fake.requestsTo('PATCH /api/v2/deals/:id').map((r) => r.path)).toContain(`/api/v2/deals/${ids.deal}`);
    } finally {
      pipedriveTiming.timeoutMs = saved;
    }
  });

  it('refuses settings Pipedrive cannot honour, naming the field, and saves nothing', async () => {
    const fresh = await startWorld();
    try {
      const missing = 'f'.repeat(40);
      const unknownField = await connectPipedrive(fresh, { pipeline_id: 2, qualified_stage_id: 13, person_fields: { name: '{name}', [missing]: '{code}' } });
      expect(unknownField.status).toBe(400);
      expect(unknownField.body.errors).toEqual([{ path: `settings.person_fields.${missing}`, message: `no person field with key '${missing}' in this Pipedrive account` }]);

      const otherPipeline = await connectPipedrive(fresh, { pipeline_id: 2, qualified_stage_id: 3 });
      expect(otherPipeline.status).toBe(400);
      expect(otherPipeline.body.errors).toEqual([{ path: 'settings.qualified_stage_id', message: 'stage 3 (Negotiation) is not in pipeline 2' }]);

      const builtIn = await connectPipedrive(fresh, { pipeline_id: 2, deal_fields: { title: 'Referral: {name}', value: '{code}' } });
      expect(builtIn.status).toBe(400);
      expect(builtIn.body.errors[0]).toMatchObject({ path: 'settings.deal_fields.value' });

      const emptyTitle = await connectPipedrive(fresh, { pipeline_id: 2, deal_fields: { title: '{first_name}' } });
      expect(emptyTitle.status).toBe(400);
      expect(emptyTitle.body.errors[0]).toMatchObject({ path: 'settings.deal_fields.title', message: expect.stringContaining('may render empty') });

      const noPipeline = await connectPipedrive(fresh, { send_as: 'deal' });
      expect(noPipeline.status).toBe(400);
      expect(noPipeline.body.errors[0]).toMatchObject({ path: 'settings.pipeline_id' });

      expect((await fresh.t.api('/v1/integrations/pipedrive')).status).toBe(404);
      expect(fresh.pd.state.webhooks.size).toBe(0);
      expect(await vendorEvents(fresh.t)).toEqual([]);
    } finally {
      await fresh.close();
    }
  }, HOOK_TIMEOUT_MS);
});
