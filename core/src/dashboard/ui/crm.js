// A participant's CRM records in words: which vendor records stand for it and, where the CRM
// reported it, the stage the record is in now ("Pipedrive deal 42 · Referrals › Demo booked").
const VENDOR_NAMES = { pipedrive: 'Pipedrive', hubspot: 'HubSpot', salesforce: 'Salesforce', stripe: 'Stripe' };

/** "Referrals › Demo booked (won)" from a `crm.<vendor>.stage`, or '' without one. */
export function stageText(stage) {
  if (!stage || typeof stage !== 'object') return '';
  const name = stage.stage || stage.stage_id;
  const where = stage.pipeline ? `${stage.pipeline} › ${name}` : name;
  return `${where}${stage.status && stage.status !== 'open' ? ` (${stage.status})` : ''}`;
}

/** One line per vendor: "Pipedrive person 12, deal 40 · stage Referrals › Demo booked". */
export function crmLines(crm) {
  const lines = [];
  for (const [vendor, entry] of Object.entries(crm || {})) {
    if (!entry || typeof entry !== 'object') continue;
    const ids = Object.entries(entry.ids || {}).map(([obj, id]) => `${obj} ${id}`);
    const stage = stageText(entry.stage);
    lines.push([`${VENDOR_NAMES[vendor] || vendor} ${ids.join(', ')}`.trim(), stage ? `stage ${stage}` : ''].filter(Boolean).join(' · '));
  }
  return lines;
}

/** All vendors on one line, for a table cell. */
export function crmSummary(crm) {
  return crmLines(crm).join('; ');
}
