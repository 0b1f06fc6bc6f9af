import type { HubContext } from '../context';
import type { CreateConversionInput } from '../schemas/conversion';
import { recordConversionIn, type RecordedConversion } from './record';
import { resolveConverter } from './resolve';

/**
 * `POST /v1/conversions`: find who converted, record the conversion (or return the first one for
 * a repeat), and let the campaign goal qualify the referral — all in one transaction.
 */
export async function trackConversion(ctx: HubContext, workspaceId: string, input: CreateConversionInput): Promise<RecordedConversion> {
  const { email, code, click_id, participant_id, campaign_id, ...details } = input;
  return ctx.db.tx(async (q) => {
    const participant = await resolveConverter(q, workspaceId, { email, code, click_id, participant_id, campaign_id });
    return recordConversionIn(q, ctx, participant, details, { source: 'api' });
  });
}
