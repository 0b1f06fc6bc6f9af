import type { CampaignSettings } from '../domain/campaign-settings';

type Goal = NonNullable<CampaignSettings['goal']>;

/**
 * Whether a conversion meets a campaign's goal: the same event name (case ignored) and, when the
 * goal names them, at least the minimum amount in the goal's currency. An amount in another
 * currency does not count: we do not convert currencies.
 */
export function meetsGoal(goal: Goal, conversion: { event: string; amount: number | null; currency: string | null }): boolean {
  if (conversion.event.trim().toLowerCase() !== goal.event.trim().toLowerCase()) return false;
  if (goal.currency !== undefined && conversion.currency !== goal.currency) return false;
  if (goal.min_amount !== undefined && (conversion.amount === null || conversion.amount < goal.min_amount)) return false;
  return true;
}
