import { createHmac, randomBytes } from 'node:crypto';
import type { Queryable } from '../db';
import { safeEqual } from '../lib/crypto';

/** How long a rendered join form stays submittable. */
export const FORM_TOKEN_TTL_MS = 2 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** A verified token: its nonce is what a submission consumes. */
export interface FormToken {
  nonce: string;
}

/**
 * One-time tokens for the join form: `<issued ms base36>.<nonce>.<hmac>`, bound to one campaign.
 * Issuing writes nothing (a page view must not cost a row); using one inserts its nonce, which
 * the primary key allows once.
 */
export class FormTokens {
  private readonly key: Buffer;
  private lastSweep = 0;

  constructor(installSecret: string) {
    // A key of its own, derived from the per-install secret (domain-separated from IP hashing).
    this.key = createHmac('sha256', installSecret).update('referloop:join-form-token:v1').digest();
  }

  private sign(campaignId: string, issued: string, nonce: string): string {
    return createHmac('sha256', this.key).update(`${campaignId}.${issued}.${nonce}`).digest('base64url').slice(0, 32);
  }

  issue(campaignId: string, now: Date): string {
    const issued = now.getTime().toString(36);
    const nonce = randomBytes(16).toString('base64url');
    return `${issued}.${nonce}.${this.sign(campaignId, issued, nonce)}`;
  }

  /** The token's nonce when it was issued for this campaign and has not expired; null otherwise. */
  verify(campaignId: string, token: string | undefined, now: Date): FormToken | null {
    const parts = token?.split('.') ?? [];
    if (parts.length !== 3) return null;
    const [issued, nonce, sig] = parts;
    if (!/^[0-9a-z]{1,12}$/.test(issued) || !/^[A-Za-z0-9_-]{22}$/.test(nonce)) return null;
    if (!safeEqual(sig, this.sign(campaignId, issued, nonce))) return null;
    const age = now.getTime() - parseInt(issued, 36);
    // A little skew is tolerated for clocks of several hub processes.
    if (age > FORM_TOKEN_TTL_MS || age < -60_000) return null;
    return { nonce };
  }

  /**
   * Mark the token used, inside the transaction that adds the participant. Returns false when it
   * was used before (the caller looks at what that earlier use created).
   */
  async consume(q: Queryable, token: FormToken, ids: { workspaceId: string; campaignId: string }, now: Date): Promise<boolean> {
    const rows = await q.query(
      `INSERT INTO join_form_tokens (nonce, workspace_id, campaign_id, used_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (nonce) DO NOTHING RETURNING nonce`,
      [token.nonce, ids.workspaceId, ids.campaignId, now],
    );
    return rows.length > 0;
  }

  async attach(q: Queryable, token: FormToken, participantId: string): Promise<void> {
    await q.query('UPDATE join_form_tokens SET participant_id = $2 WHERE nonce = $1', [token.nonce, participantId]);
  }

  /** The participant an earlier submission of this token joined (or found), if any. */
  async usedBy(q: Queryable, token: FormToken, campaignId: string): Promise<string | null> {
    const [row] = await q.query<{ participant_id: string | null }>(
      'SELECT participant_id FROM join_form_tokens WHERE nonce = $1 AND campaign_id = $2',
      [token.nonce, campaignId],
    );
    return row?.participant_id ?? null;
  }

  /** Forget used nonces older than any token that could still verify (at most every few minutes). */
  async sweep(q: Queryable, now: Date): Promise<void> {
    if (now.getTime() - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now.getTime();
    await q.query('DELETE FROM join_form_tokens WHERE used_at < $1', [new Date(now.getTime() - FORM_TOKEN_TTL_MS - 120_000)]);
  }
}
