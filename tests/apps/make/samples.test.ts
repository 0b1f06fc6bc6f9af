import { z } from 'zod';
import { participantSchema, referrerSummarySchema } from '../../../core/src/schemas/participant';
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
    const envelope = z
      .object({
        id: z.string(),
        type: z.string(),
        created_at: z.string(),
        workspace_id: z.string(),
        campaign_id: z.string().nullable(),
        data: strictParticipant.extend({ referrer: referrerSummarySchema.strict().nullable() }).strict(),
      })
      .strict();
    expect(envelope.safeParse(modules.watchEvents.codes.samples).error?.issues ?? []).toEqual([]);
    expect(interfaceProblems(parseParams(modules.watchEvents.codes.interface), modules.watchEvents.codes.samples, 'subset')).toEqual([]);
  });
});
