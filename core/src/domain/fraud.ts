import type { Queryable } from '../db';
import { canonicalEmail, isDisposableEmail } from '../lib/email';
import type { FraudSettings } from '../schemas/campaign';
import type { ParticipantRow } from './rows';

export type FraudReason = 'self_referral' | 'duplicate_email' | 'same_ip' | 'disposable_email';

export interface SignupFacts {
  campaignId: string;
  email: string;
  ipHash: string | null;
  at: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The fraud checks a referred sign-up goes through before it can earn anything. Each hit is a
 * reason; any hit holds the referral as `flagged` until a person reviews it.
 *
 * - self_referral: the same person as the referrer (case, plus-tags and Gmail dots ignored);
 * - duplicate_email: that person is already in the campaign under another spelling of the address;
 * - same_ip: the sign-up comes from the IP the referrer signed up from, or from the IP of another
 *   friend of the same referrer in the last 24 hours (one machine making many "friends");
 * - disposable_email: a throw-away mail domain.
 */
export async function checkReferredSignup(
  q: Queryable,
  settings: FraudSettings,
  referrer: ParticipantRow,
  signup: SignupFacts,
): Promise<FraudReason[]> {
  const reasons: FraudReason[] = [];
  const canonical = canonicalEmail(signup.email);
  if (settings.self_referral && canonical === referrer.email_canonical) reasons.push('self_referral');
  if (settings.duplicate_email && !reasons.includes('self_referral')) {
    const dup = await q.query('SELECT 1 FROM participants WHERE campaign_id = $1 AND email_canonical = $2 LIMIT 1', [
      signup.campaignId,
      canonical,
    ]);
    if (dup.length > 0) reasons.push('duplicate_email');
  }
  if (settings.same_ip && signup.ipHash) {
    const sameAsReferrer = referrer.signup_ip_hash === signup.ipHash;
    const sameAsSibling =
      !sameAsReferrer &&
      (
        await q.query(
          'SELECT 1 FROM participants WHERE referrer_id = $1 AND signup_ip_hash = $2 AND created_at > $3 LIMIT 1',
          [referrer.id, signup.ipHash, new Date(signup.at.getTime() - DAY_MS)],
        )
      ).length > 0;
    if (sameAsReferrer || sameAsSibling) reasons.push('same_ip');
  }
  if (settings.disposable_email && isDisposableEmail(signup.email)) reasons.push('disposable_email');
  return reasons;
}
