import { z } from 'zod';
import {
  campaignGoalSchema,
  campaignPageSchema,
  fraudSettingsSchema,
  rewardRuleSchema,
  type RewardRule,
} from '../schemas/campaign';
import type { CampaignRow } from './rows';

const storedRulesSchema = z.array(rewardRuleSchema.and(z.object({ id: z.string() })));

/** A campaign's JSON settings, parsed from the stored row (parse at the edges: the DB is one). */
export interface CampaignSettings {
  rewardRules: RewardRule[];
  fraud: z.infer<typeof fraudSettingsSchema>;
  goal: z.infer<typeof campaignGoalSchema> | null;
  allowedOrigins: string[];
  page: z.infer<typeof campaignPageSchema>;
}

export function readCampaignSettings(row: CampaignRow): CampaignSettings {
  return {
    rewardRules: storedRulesSchema.parse(row.reward_rules),
    fraud: fraudSettingsSchema.parse(row.fraud),
    goal: campaignGoalSchema.nullable().parse(row.goal ?? null),
    allowedOrigins: z.array(z.string()).parse(row.allowed_origins),
    page: campaignPageSchema.parse(row.page),
  };
}
