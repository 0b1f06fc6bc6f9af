import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { eventDataSchemas, eventEnvelopeSchema } from '../../../core/src/events/schemas';
import { conversionSchema } from '../../../core/src/schemas/conversion';
import { participantSchema } from '../../../core/src/schemas/participant';
import { qualifyResultSchema } from '../../../core/src/schemas/referral';
import { rewardSchema } from '../../../core/src/schemas/reward';
import { loadApp } from './runtime/app';
import { parseParams } from './runtime/parameters';
import { interfaceProblems } from './support/interface-check';

const app = loadApp();
const modules = app.components.module;
const strictParticipant = participantSchema.strict();
const strictReward = rewardSchema.strict();

/** The hub's own schema for what each module outputs: samples must be real payloads. */
const outputSchemas: Record<string, z.ZodType> = {
  watchNewParticipants: strictParticipant,
  addParticipant: strictParticipant,
  searchParticipants: strictParticipant,
  qualifyReferral: qualifyResultSchema.extend({ referral: strictParticipant, rewards: z.array(strictReward) }).strict(),
  unqualifyReferral: qualifyResultSchema.extend({ referral: strictParticipant, rewards: z.array(strictReward) }).strict(),
  listRewards: strictReward,
  approveReward: strictReward,
  declineReward: strictReward,
  issueReward: strictReward,
  trackConversion: conversionSchema.strict(),
  makeApiCall: z.object({ body: z.unknown(), headers: z.record(z.string(), z.string()), statusCode: z.number().int() }).strict(),
};

describe('module samples and interfaces', () => {
  it('gives every module an interface and samples', () => {
    for (const [id, m] of Object.entries(modules)) expect({ id, interface: !!m.codes.interface, samples: !!m.codes.samples }).toEqual({ id, interface: true, samples: true });
  });

  it.each(Object.keys(outputSchemas))('%s: the sample is a payload the hub produces', (id) => {
    expect(outputSchemas[id].safeParse(modules[id].codes.samples).error?.issues ?? []).toEqual([]);
  });

  it.each(Object.keys(modules).filter((id) => id !== 'watchEvents'))('%s: the interface declares exactly the fields of the sample', (id) => {
    expect(interfaceProblems(parseParams(modules[id].codes.interface), modules[id].codes.samples, 'exact')).toEqual([]);
  });

  it('watchEvents: the sample is an event envelope and its interface declares every field of it', () => {
    const envelope = eventEnvelopeSchema('referral.qualified').extend({ data: eventDataSchemas['referral.qualified'].strict() }).strict();
    expect(envelope.safeParse(modules.watchEvents.codes.samples).error?.issues ?? []).toEqual([]);
    expect(interfaceProblems(parseParams(modules.watchEvents.codes.interface), modules.watchEvents.codes.samples, 'subset')).toEqual([]);
  });

  // The hub's own sample of every event type (generated from a real run) must fit the trigger's interface.
  const eventSampleDir = join(__dirname, '..', '..', '..', 'core', 'src', 'events', 'samples');
  const subscribable = readdirSync(eventSampleDir).filter((f) => f.endsWith('.json') && f !== 'webhook_endpoint.disabled.json');

  it.each(subscribable)('watchEvents: the interface declares every field of the hub sample %s', (file) => {
    const sample: unknown = JSON.parse(readFileSync(join(eventSampleDir, file), 'utf8'));
    expect(interfaceProblems(parseParams(modules.watchEvents.codes.interface), sample, 'subset')).toEqual([]);
  });

  it('watchNewParticipants: outputs exactly the data of a participant.created event', () => {
    const sample = z.object({ data: z.unknown() }).parse(JSON.parse(readFileSync(join(eventSampleDir, 'participant.created.json'), 'utf8')));
    expect(interfaceProblems(parseParams(modules.watchNewParticipants.codes.interface), sample.data, 'exact')).toEqual([]);
  });
});
