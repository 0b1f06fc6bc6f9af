// Rewards and reward rules in plain words, e.g. "every 3rd qualified friend → 10.00 € credit for the referrer".
import { money } from './dom.js';

function ordinal(n) {
  const s = ['th', 'st', 'nd', 'rd'];
  const v = n % 100;
  return `${n}${s[(v - 20) % 10] || s[v] || s[0]}`;
}

/** What a reward (or rule) gives, in words. */
export function rewardText(r) {
  switch (r.kind) {
    case 'credit':
      return `${money(r.amount, r.currency)} credit`;
    case 'cash':
      return `${money(r.amount, r.currency)} cash`;
    case 'coupon':
      return r.percent_off ? `${r.percent_off}% off coupon` : `${money(r.amount, r.currency)} off coupon`;
    default:
      return r.description || 'a custom reward';
  }
}

const FOR = { referrer: 'the referrer', friend: 'the friend', both: 'the referrer and the friend' };

/** A reward rule as a sentence a marketer can check. */
export function ruleText(rule) {
  const n = Number(rule.n);
  const when =
    rule.trigger === 'every_nth'
      ? `every ${Number.isFinite(n) && n > 0 ? ordinal(n) : 'Nth'} qualified friend`
      : rule.trigger === 'milestone'
        ? `once, at ${Number.isFinite(n) && n > 0 ? n : 'N'} qualified friends`
        : 'each qualified friend';
  const what = rule.kind === 'custom' ? rule.description || 'a custom reward' : rewardText(rule);
  const extras = [];
  if (rule.approval === 'manual') extras.push('approved by a person');
  if (Number(rule.hold_days) > 0) extras.push(`released after ${rule.hold_days} day${Number(rule.hold_days) === 1 ? '' : 's'}`);
  return `${when} → ${what} for ${FOR[rule.recipient || 'referrer']}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}
