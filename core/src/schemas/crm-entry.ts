import { stageObjects, stageStatuses } from '@referloop/connectors';
import { z } from 'zod';
import { timestampSchema } from './common';

/**
 * A participant's `crm.<vendor>` as the API shows it: which vendor records stand for the
 * participant, and where the record stands in the vendor's pipeline or lifecycle.
 */

export const crmStageResponseSchema = z
  .object({
    object: z.enum(stageObjects).meta({ description: 'The vendor record whose stage this is: a deal or opportunity (pipeline records, shown over the others), a lead, contact or person' }),
    record_id: z.string().meta({ description: "The vendor's id of that record" }),
    pipeline_id: z.string().nullable().meta({ description: 'Its pipeline, for vendors with several (Pipedrive, HubSpot deals)' }),
    pipeline: z.string().nullable().meta({ description: "The pipeline's name at the vendor, when known" }),
    stage_id: z.string().meta({ description: "The vendor's stage id or value (a stage id, a lifecycle stage, a picklist value)" }),
    stage: z.string().nullable().meta({ description: "The stage's name at the vendor, when known" }),
    status: z.enum(stageStatuses).nullable().meta({ description: 'open, won or lost, when the vendor tells' }),
    changed_at: timestampSchema.meta({ description: 'When the record entered this stage, as the vendor reported it' }),
  })
  .meta({ description: "Where the participant's vendor record stands now; an older vendor event never replaces a newer stage" });

export const crmEntryResponseSchema = z.object({
  ids: z.record(z.string(), z.string()).meta({ description: 'Vendor ids of the records that stand for the participant, by object: {"person": "12", "deal": "40"}' }),
  origin: z.enum(['push', 'sync']).optional().meta({ description: 'push: we made the record; sync: the participant came from the vendor contacts' }),
  pushed_at: timestampSchema.optional(),
  link_written_at: timestampSchema.optional().meta({ description: 'When the referral link was written onto the vendor contact' }),
  stage: crmStageResponseSchema.optional(),
});
