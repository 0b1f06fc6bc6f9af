import { z } from 'zod';

/**
 * What a settings form chooses from, read from the vendor account: deal pipelines with their
 * stages, named picklists (lifecycle stages, lead statuses, opportunity stages) and the fields of
 * each record type a mapping may write. Neutral across vendors, so the dashboard draws one kind of
 * picker for all of them; ids keep the vendor's own type (Pipedrive's are numbers, HubSpot's strings).
 */

const vendorId = z.union([z.string().min(1), z.number().int()]);

/** One choice of a picklist: the value stored in settings and the label the vendor shows. */
export const optionSchema = z.object({ value: z.string(), label: z.string() });
export type Option = z.infer<typeof optionSchema>;

export const stageOptionSchema = z.object({ id: vendorId, name: z.string() });

/** A deal pipeline and its stages, in the vendor's order (the first stage first). */
export const pipelineOptionSchema = z.object({ id: vendorId, name: z.string(), stages: z.array(stageOptionSchema) });
export type PipelineOption = z.infer<typeof pipelineOptionSchema>;

/** A field a mapping may name: its key in settings (`name`, a custom field hash, `Referral_Code__c`). */
export const fieldOptionSchema = z.object({
  key: z.string().min(1),
  name: z.string(),
  /** the vendor's type word (`varchar`, `string`, `enum`, `url` …) */
  type: z.string(),
  /** made by the account, not built into the vendor */
  custom: z.boolean(),
  /** the vendor refuses a record without it */
  required: z.boolean(),
});
export type FieldOption = z.infer<typeof fieldOptionSchema>;

export const accountOptionsSchema = z.object({
  /** deal pipelines (Pipedrive, HubSpot); empty where the vendor has none */
  pipelines: z.array(pipelineOptionSchema),
  /**
   * Named picklists: `lifecycle_stage`, `lead_status` (HubSpot); `lead_status`, `opportunity_stage`,
   * `lead_source` (Salesforce). A key is present only when the account has that list.
   */
  picklists: z.record(z.string(), z.array(optionSchema)),
  /**
   * Writable fields by record type: `person`, `deal` (Pipedrive); `contact` (HubSpot);
   * `Lead`, `Contact`, `Opportunity` (Salesforce).
   */
  fields: z.record(z.string(), z.array(fieldOptionSchema)),
});
export type AccountOptions = z.infer<typeof accountOptionsSchema>;
