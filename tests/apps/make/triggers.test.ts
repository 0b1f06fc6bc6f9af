import { z } from 'zod';
import { addParticipant, createCampaign } from '../../support/fixtures';
import { eventEnvelopeSchema } from '../../../core/src/events/schemas';
import type { EventType } from '../../../core/src/events/types';
import { participantSchema } from '../../../core/src/schemas/participant';
import { qualifyResultSchema } from '../../../core/src/schemas/referral';
import { attachWebhook, detachWebhook, pollTrigger, receiveDelivery, runModule, type TriggerState } from './runtime/runner';
import { outputProblems, type MakeSession, startMakeSession } from './support/hub-session';
import { startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver';

let s: MakeSession;
beforeAll(async () => {
  s = await startMakeSession();
});
afterAll(() => s.t.close());

describe('Watch New Participants (polling the event feed)', () => {
  let campaign: { id: string };
  let other: { id: string };
  let state: TriggerState | null = null;
  const poll = (input: Record<string, unknown>, from: TriggerState | null) => pollTrigger(s.app, 'watchNewParticipants', input, s.connection, from);
  const emails = (bundles: unknown[]) => z.array(participantSchema).parse(bundles).map((b) => b.email);

  beforeAll(async () => {
    campaign = await createCampaign(s.t, { name: 'Watched' });
    other = await createCampaign(s.t, { name: 'Not watched' });
    for (const email of ['a1@example.com', 'a2@example.com', 'a3@example.com']) await addParticipant(s.t, { campaign_id: campaign.id, email });
    await addParticipant(s.t, { campaign_id: other.id, email: 'b1@example.com' });
  });

  it('returns the participants of the chosen campaign oldest first, at most the limit per run', async () => {
    const first = await poll({ campaign_id: campaign.id, limit: 2 }, state);
    expect(emails(first.bundles)).toEqual(['a1@example.com', 'a2@example.com']);
    for (const b of first.bundles) expect(outputProblems(s.app, 'watchNewParticipants', b)).toEqual([]);
    const second = await poll({ campaign_id: campaign.id, limit: 2 }, first.state);
    expect(emails(second.bundles)).toEqual(['a3@example.com']);
    state = second.state;
  });

  it('returns nothing new until someone joins, then only the newcomer', async () => {
    expect((await poll({ campaign_id: campaign.id, limit: 10 }, state)).bundles).toEqual([]);
    const joined = await addParticipant(s.t, { campaign_id: campaign.id, email: 'a4@example.com', first_name: 'Ada' });
    const next = await poll({ campaign_id: campaign.id, limit: 10 }, state);
    expect(next.bundles).toEqual([joined]);
  });

  it('watches every campaign when none is chosen', async () => {
    const all = await poll({ limit: 100 }, null);
    expect(emails(all.bundles).sort()).toEqual(['a1@example.com', 'a2@example.com', 'a3@example.com', 'a4@example.com', 'b1@example.com']);
  });
});

describe('Watch Events (webhook attached through /v1/webhooks)', () => {
  let receiver: WebhookReceiver;
  let campaign: { id: string };
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    campaign = await createCampaign(s.t, { name: 'Instant' });
  });
  afterAll(() => receiver.close());

  it('attaches, turns a real hub event into one bundle, and detaches', async () => {
    const hook = await attachWebhook(s.app, 'referloopEvents', { event_type: 'referral.qualified', campaign_id: campaign.id }, s.connection, receiver.url);
    expect(hook.externalHookId).toEqual(expect.stringMatching(/^whk_/));
    const listed = await s.t.api('/v1/webhooks');
    expect(listed.body.data).toContainEqual(expect.objectContaining({ id: hook.externalHookId, url: receiver.url, events: ['referral.qualified'], campaign_id: campaign.id }));

    // The scenario's other modules cause the event: a referral joins and is qualified.
    const run = async (id: string, input: Record<string, unknown>) => (await runModule(s.app, id, input, s.connection)).bundles[0];
    const referrer = participantSchema.parse(await run('addParticipant', { campaign_id: campaign.id, email: 'rita@example.com' }));
    const friend = participantSchema.parse(await run('addParticipant', { campaign_id: campaign.id, email: 'ada@example.com', referrer_code: referrer.code }));
    await run('qualifyReferral', { select_by: 'code', code: friend.code });

    const [delivery] = await receiver.waitFor(1);
    expect(delivery.headers['referloop-event-type']).toBe('referral.qualified');
    const outcome = receiveDelivery(s.app, 'referloopEvents', delivery, hook);
    expect(outcome.respond).toEqual({ status: 200, type: 'json', body: { received: true } });
    expect(outcome.bundles).toHaveLength(1);
    const bundle = outcome.bundles[0];
    expect(bundle).toMatchObject({
      id: delivery.headers['referloop-event-id'],
      type: 'referral.qualified',
      campaign_id: campaign.id,
      data: { id: friend.id, referral_status: 'qualified', referrer: { id: referrer.id, code: referrer.code } },
    });
    expect(outputProblems(s.app, 'watchEvents', bundle, 'subset')).toEqual([]);

    await detachWebhook(s.app, 'referloopEvents', hook, s.connection);
    const after = await s.t.api('/v1/webhooks');
    expect(after.body.data.map((w: { id: string }) => w.id)).not.toContain(hook.externalHookId);
    // Only the chosen type was delivered: the two participant.created/referral.created events were not.
    expect(receiver.deliveries).toHaveLength(1);
  });

  it('delivers each of the six everyday event types to the webhook subscribed to it, as bundles of the declared shape', async () => {
    const types: EventType[] = ['participant.created', 'referral.created', 'referral.qualified', 'conversion.tracked', 'reward.created', 'reward.issued'];
    const receivers = await Promise.all(types.map(() => startWebhookReceiver()));
    try {
      const hooks = [];
      for (const [i, type] of types.entries()) hooks.push(await attachWebhook(s.app, 'referloopEvents', { event_type: type }, s.connection, receivers[i].url));

      const run = async (id: string, input: Record<string, unknown>) => (await runModule(s.app, id, input, s.connection)).bundles[0];
      const loop = await createCampaign(s.t, { name: 'Full loop' });
      const referrer = participantSchema.parse(await run('addParticipant', { campaign_id: loop.id, email: 'rita@loop.example' }));
      const friend = participantSchema.parse(await run('addParticipant', { campaign_id: loop.id, email: 'ada@loop.example', referrer_code: referrer.code }));
      await run('trackConversion', { event: 'purchase', identify_by: 'code', code: friend.code, amount: 4900, currency: 'USD', transaction_id: 'order-1' });
      const qualified = qualifyResultSchema.parse(await run('qualifyReferral', { select_by: 'code', code: friend.code }));
      const reward = qualified.rewards[0];
      if ((await s.t.api(`/v1/rewards/${reward.id}`)).body.status === 'pending') await run('approveReward', { reward_id: reward.id });
      await run('issueReward', { reward_id: reward.id, reward_code: 'THANKS-10' });

      const expected: Record<string, number> = { 'participant.created': 2 };
      for (const [i, type] of types.entries()) {
        const deliveries = await receivers[i].waitFor(expected[type] ?? 1);
        for (const d of deliveries) {
          const [bundle] = receiveDelivery(s.app, 'referloopEvents', d, hooks[i]).bundles;
          expect(eventEnvelopeSchema(type).safeParse(bundle).error?.issues ?? []).toEqual([]);
          expect(outputProblems(s.app, 'watchEvents', bundle, 'subset')).toEqual([]);
        }
      }
      for (const hook of hooks) await detachWebhook(s.app, 'referloopEvents', hook, s.connection);
      const remaining = z.object({ data: z.array(z.object({ id: z.string() })) }).parse((await s.t.api('/v1/webhooks')).body).data.map((w) => w.id);
      for (const hook of hooks) expect(remaining).not.toContain(hook.externalHookId);
    } finally {
      await Promise.all(receivers.map((r) => r.close()));
    }
  });
});
