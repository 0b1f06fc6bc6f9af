// /v1/imports – CSV uploads: a customer list qualifies matching referrals; a participant list adds people in bulk
import type { Readable } from 'node:stream';
import { getCampaign } from '../../../domain/campaigns';
import type { Hub } from '../../../hub';
import { importCustomers } from '../../../imports/customers';
import { importParticipants } from '../../../imports/participants';
import { csvUpload } from '../../../imports/request-body';
import { invalidField } from '../../../lib/errors';
import { customersImportSummarySchema, importQuerySchema, participantsImportSummarySchema } from '../../../schemas/import';
import type { Request } from 'express';
import { defineRoute } from '../../route';

const upload =
  'Send the file as the body (Content-Type: text/csv) or as a multipart/form-data file part. It is read as a stream, 1,000 rows ' +
  'per transaction, so a 1,000,000-row file needs no more memory than a small one. A header line is required; invalid rows are ' +
  'skipped and listed with their line numbers. Uploading the same file again changes nothing.';

/** The campaign of an upload (query, or a form field before the file) and the file's stream. */
async function openUpload(hub: Hub, workspaceId: string, req: Request, queryCampaign: string | undefined): Promise<{ campaignId: string; file: Readable }> {
  const { file, fields } = await csvUpload(req);
  const campaignId = queryCampaign ?? fields.campaign_id;
  if (!campaignId) throw invalidField('campaign_id', 'is required (?campaign_id= or a form field before the file)');
  await getCampaign(hub.db, workspaceId, campaignId).catch(() => {
    throw invalidField('campaign_id', `no campaign '${campaignId}' in this workspace`);
  });
  return { campaignId, file };
}

export const importRoutes = [
  defineRoute({
    method: 'post',
    path: '/v1/imports/customers',
    summary: 'Upload a customer list (CSV): qualify the pending referrals it names',
    description: `Columns: email and/or code (referral code); other columns are ignored. Each matching pending referral is qualified (source csv). ${upload}`,
    tags: ['Imports'],
    auth: 'secret',
    query: importQuerySchema,
    response: customersImportSummarySchema,
    async handler({ hub, workspaceId, query, req }) {
      const { campaignId, file } = await openUpload(hub, workspaceId, req, query.campaign_id);
      return importCustomers(hub, workspaceId, campaignId, file);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/v1/imports/participants',
    summary: 'Upload participants (CSV): add them in bulk',
    description: `Columns: email (required), first_name, last_name, external_id, referrer_code. Type imported, or referred with a referrer_code of the campaign. ${upload}`,
    tags: ['Imports'],
    auth: 'secret',
    query: importQuerySchema,
    response: participantsImportSummarySchema,
    async handler({ hub, workspaceId, query, req }) {
      const { campaignId, file } = await openUpload(hub, workspaceId, req, query.campaign_id);
      return importParticipants(hub, workspaceId, campaignId, file);
    },
  }),
];
