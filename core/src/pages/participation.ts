import { z } from 'zod';
import type { HubContext } from '../context';
import type { Queryable } from '../db';
import { recordActivity } from '../domain/activities';
import { participationChannels } from './share-links';

/** What a participant did with their link; either makes them a "sharer" in the campaign stats. */
export const participationKinds = ['link_copied', 'link_shared'] as const;

const channelSchema = z
  .string()
  .regex(/^[a-z0-9_-]{1,32}$/, 'lower-case letters, digits, dashes or underscores (1 to 32)')
  .meta({ description: 'Where the link was shared: email, sms, whatsapp, x, linkedin, facebook, native, or your own name' });

function requireChannelWhenShared(v: { kind: string; channel?: string }, ctx: z.RefinementCtx): void {
  if (v.kind === 'link_shared' && v.channel === undefined) ctx.addIssue({ code: 'custom', path: ['channel'], message: 'is required for link_shared' });
}

/** The share page's own beacon: only the channels its buttons have. */
export const pageParticipationSchema = z
  .object({ kind: z.enum(participationKinds), channel: z.enum(participationChannels).optional() })
  .superRefine(requireChannelWhenShared);

/** POST /v1/participation-events: a participant named by share token, id or code. */
export const participationEventSchema = z
  .object({
    share_token: z.string().min(1).max(64).optional().meta({ description: 'The token of the participant’s share_url (/p/{token})' }),
    participant_id: z.string().min(1).max(64).optional().meta({ description: 'Or the participant’s id or referral code' }),
    kind: z.enum(participationKinds),
    channel: channelSchema.optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.share_token === undefined) === (v.participant_id === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['share_token'], message: 'send share_token or participant_id (one of them)' });
    }
    requireChannelWhenShared(v, ctx);
  });

/** The recorded event, as the API answers it. */
export const participationEventResponseSchema = z.object({
  object: z.literal('participation_event'),
  participant_id: z.string(),
  kind: z.enum(participationKinds),
  channel: z.string().nullable(),
  source: z.string(),
});

export type ParticipationKind = (typeof participationKinds)[number];

/** Put a copy or share on the participant's timeline (source: share_page or api). */
export async function recordParticipation(
  q: Queryable,
  clock: Pick<HubContext, 'now'>,
  participant: { id: string; workspace_id: string },
  event: { kind: ParticipationKind; channel?: string },
  source: 'share_page' | 'api',
): Promise<z.infer<typeof participationEventResponseSchema>> {
  const channel = event.channel ?? null;
  await recordActivity(q, clock, participant.workspace_id, participant.id, event.kind, source, channel ? { channel } : {});
  return { object: 'participation_event', participant_id: participant.id, kind: event.kind, channel, source };
}
