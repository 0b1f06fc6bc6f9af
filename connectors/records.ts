import { z } from 'zod';

/** What connectors exchange with core about vendor records: ids, pushes, contacts, link writes. */

export const participantTypes = ['direct', 'referred', 'imported'] as const;
export type ParticipantType = (typeof participantTypes)[number];

/** Vendor ids of the records made for one participant, by object: `{ person: '12', deal: '40' }`. */
export const vendorIdsSchema = z.record(z.string().min(1), z.string().min(1));
export type VendorIds = z.infer<typeof vendorIdsSchema>;

/** A record at the vendor: `{ object: 'deal', id: '40' }`. */
export const recordRefSchema = z.object({ object: z.string().min(1).max(100), id: z.string().min(1).max(200) });
export type RecordRef = z.infer<typeof recordRefSchema>;

/** A person as a connector pushes it: the participant, its campaign and its referrer. */
export interface PushInput {
  participant_id: string;
  campaign_id: string;
  campaign_name: string;
  type: ParticipantType;
  email: string;
  first_name: string | null;
  last_name: string | null;
  name: string | null;
  code: string;
  referral_link: string;
  referral_status: string | null;
  created_at: string;
  referrer: { id: string; email: string; first_name: string | null; last_name: string | null; name: string | null; code: string; referral_link: string } | null;
  /** What an earlier push stored: a retried push updates these records instead of making new ones. */
  existing: VendorIds | null;
}

/**
 * The objects a stage belongs to. Pipeline records (a deal, an opportunity) say more about a
 * referral's progress than the lifecycle or status of the person (a lead, a contact), so where
 * both are known the pipeline record's stage is the one shown (see `stageRank`).
 */
export const stageObjects = ['deal', 'opportunity', 'lead', 'contact', 'person'] as const;
export type StageObject = (typeof stageObjects)[number];
export const stageStatuses = ['open', 'won', 'lost'] as const;

/** Where one vendor record stands in the vendor's pipeline or lifecycle. Names may be filled in later (`resolveSignal`). */
export const recordStageSchema = z.object({
  object: z.enum(stageObjects),
  /** the vendor's id of the record (the deal, the contact) */
  record_id: z.string().min(1).max(200),
  /** the pipeline the stage belongs to, for vendors with several (Pipedrive, HubSpot deals) */
  pipeline_id: z.string().min(1).max(200).nullable().optional(),
  /** the pipeline's name as the vendor shows it */
  pipeline: z.string().max(500).nullable().optional(),
  /** the vendor's id or value of the stage (a stage id, a lifecycle stage, a picklist value) */
  stage_id: z.string().min(1).max(500),
  /** the stage's name as the vendor shows it */
  stage: z.string().max(500).nullable().optional(),
  /** whether the record is still open, or was won or lost, when the vendor tells */
  status: z.enum(stageStatuses).nullable().optional(),
});
export type RecordStage = z.infer<typeof recordStageSchema>;

/** Pipeline records (deals, opportunities) rank above people (leads, contacts): a lower rank never replaces a higher one. */
export function stageRank(object: StageObject): number {
  return object === 'deal' || object === 'opportunity' ? 2 : 1;
}

export const pushResultSchema = z.object({
  ids: vendorIdsSchema,
  /** false when the vendor already had the record (found by stored id or by email) */
  created: z.boolean(),
  /** the vendor shows this person can never qualify (already a customer): core closes the referral as unqualified */
  unqualify_reason: z.string().min(1).max(500).optional(),
  /** the stage a record made by this push starts in (a new deal's first stage), shown at once */
  stage: recordStageSchema.optional(),
});
export type PushResult = z.infer<typeof pushResultSchema>;

/** A contact (person, lead, customer) at the vendor, as a sync sees it. */
export const vendorContactSchema = z.object({
  id: z.string().min(1).max(200),
  /** the object it is (`person`, `contact`, `lead`), stored with the id on the participant */
  object: z.string().min(1).max(100),
  email: z.string().max(320).nullable(),
  first_name: z.string().max(200).nullable().optional(),
  last_name: z.string().max(200).nullable().optional(),
  /** a referral code the vendor record already carries, when mapped */
  referral_code: z.string().max(64).nullable().optional(),
});
export type VendorContact = z.infer<typeof vendorContactSchema>;

export const contactPageSchema = z.object({
  contacts: z.array(vendorContactSchema),
  /** where the next page starts; null after the last page. Stored, so a killed sync resumes here. */
  next_cursor: z.string().max(2000).nullable(),
  /** total number of contacts when the vendor says it */
  total: z.number().int().min(0).nullable().optional(),
});
export type ContactPage = z.infer<typeof contactPageSchema>;

/** One referral link to write onto a vendor contact. */
export interface LinkWrite {
  contact_id: string;
  participant_id: string;
  code: string;
  referral_link: string;
}

export const linkWriteResultSchema = z.object({
  failed: z.array(z.object({ contact_id: z.string(), message: z.string() })),
});
export type LinkWriteResult = z.infer<typeof linkWriteResultSchema>;
