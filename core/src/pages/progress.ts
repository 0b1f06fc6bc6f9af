import type { RewardRow } from '../domain/rows';
import type { RewardRule } from '../schemas/campaign';

/** Progress toward the nearest reward that needs more than one qualified friend. */
export interface MilestoneProgress {
  current: number;
  target: number;
  remaining: number;
  reward: string;
  /** "2 of 3 friends — 1 more for a free month" */
  text: string;
}

/** Minor units to a display amount, with the currency's own number of decimals (JPY has none). */
export function formatMoney(amount: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amount / 10 ** digits);
}

interface RewardShape {
  kind: RewardRule['kind'];
  amount?: number | null;
  currency?: string | null;
  percent_off?: number | null;
  description?: string | null;
}

/** What a reward is, in words: the campaign's own description first, else built from its value. */
export function describeReward(r: RewardShape & { name?: string | null }): string {
  if (r.description) return r.description;
  if (r.name) return r.name;
  const money = r.amount !== null && r.amount !== undefined && r.currency ? formatMoney(r.amount, r.currency) : null;
  switch (r.kind) {
    case 'credit':
      return money ? `${money} credit` : 'a credit';
    case 'cash':
      return money ? `${money} cash` : 'a cash reward';
    case 'coupon':
      if (r.percent_off) return `a ${r.percent_off}% off coupon`;
      return money ? `a ${money} off coupon` : 'a coupon';
    default:
      return 'a reward';
  }
}

/** The rules that pay the person who refers (the share page shows only what its reader can earn). */
function referrerRules(rules: RewardRule[]): RewardRule[] {
  return rules.filter((r) => r.recipient === 'referrer' || r.recipient === 'both');
}

const friends = (n: number) => (n === 1 ? '1 friend' : `${n} friends`);

/**
 * The next every-Nth or milestone reward and how far along the participant is, counting friends
 * whose referral qualified. The nearest goal wins; null when no such rule is left to reach.
 */
export function nextMilestone(rules: RewardRule[], qualified: number): MilestoneProgress | null {
  let best: MilestoneProgress | null = null;
  for (const rule of referrerRules(rules)) {
    const n = rule.n ?? 0;
    let current: number;
    if (rule.trigger === 'every_nth' && n >= 2) current = qualified % n;
    else if (rule.trigger === 'milestone' && n >= 1 && qualified < n) current = qualified;
    else continue;
    const remaining = n - current;
    if (best && best.remaining <= remaining) continue;
    const reward = describeReward(rule);
    best = { current, target: n, remaining, reward, text: `${current} of ${friends(n)} — ${remaining} more for ${reward}` };
  }
  return best;
}

/** "Each friend who qualifies earns you $10.00 credit" lines, one per each-qualified rule. */
export function perFriendRewards(rules: RewardRule[]): string[] {
  return referrerRules(rules)
    .filter((r) => r.trigger === 'each_qualified')
    .map((r) => describeReward(r));
}

/** A reward row in the participant's words. */
export function rewardStatusLabel(row: Pick<RewardRow, 'status' | 'release_at'>): string {
  switch (row.status) {
    case 'pending':
      return 'Waiting for approval';
    case 'approved':
      return 'Approved';
    case 'delayed':
      return row.release_at ? `On hold until ${row.release_at.toISOString().slice(0, 10)}` : 'On hold';
    case 'declined':
      return 'Declined';
    case 'issued':
      return 'Issued';
  }
}

/**
 * A friend's referral status as the referrer sees it. A referral held by a fraud check reads
 * "Pending": the referrer is told it is not settled, not that it looks like fraud.
 */
export function referralStatusLabel(status: string | null): { label: string; tone: 'pending' | 'qualified' | 'unqualified' } {
  if (status === 'qualified') return { label: 'Qualified', tone: 'qualified' };
  if (status === 'unqualified') return { label: 'Not qualified', tone: 'unqualified' };
  return { label: 'Pending', tone: 'pending' };
}
