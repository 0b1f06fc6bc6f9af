-- Leads sorted by sign-up time page by (created_at, id), in a campaign or across the workspace, and the
-- per-day chart counts sign-ups and qualifications of one campaign over a date range.

CREATE INDEX participants_campaign_created ON participants (campaign_id, created_at, id);
CREATE INDEX participants_workspace_created ON participants (workspace_id, created_at, id);
CREATE INDEX participants_campaign_qualified ON participants (campaign_id, qualified_at) WHERE qualified_at IS NOT NULL;
