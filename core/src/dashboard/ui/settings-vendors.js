// What each vendor's settings form shows: one entry per setting, in the order a person decides
// them. `kind` picks the control (settings-controls.js, settings-editors.js); `campaign: true`
// settings may also be set per campaign; `show` hides a setting the others make irrelevant.
// Names and meanings follow the connectors' settings schemas (connectors/<vendor>/settings.ts).

const placeholders = (list) => `Text with placeholders: ${list.map((p) => `{${p}}`).join(' ')}`;
const PIPEDRIVE_PLACEHOLDERS = ['name', 'first_name', 'last_name', 'email', 'code', 'referral_link', 'referrer_name', 'referrer_email', 'referrer_code', 'campaign'];
const SALESFORCE_PLACEHOLDERS = ['name', 'first_name', 'last_name', 'email', 'code', 'referral_link', 'referrer', 'referrer_email', 'referrer_code', 'campaign'];
const pushTypes = { kind: 'types', path: 'push_types', label: 'Who is sent to the CRM', campaign: true };

const pipedrive = [
  {
    kind: 'choice',
    path: 'send_as',
    label: 'Send referred users as',
    campaign: true,
    redraw: true,
    choices: [
      ['deal', 'Deals in a pipeline'],
      ['lead', 'Leads (Leads inbox)'],
    ],
  },
  { kind: 'pipeline', path: 'pipeline_id', label: 'Pipeline', campaign: true, redraw: true, stages: { stage_id: false, qualified_stage_id: false }, hint: 'Deals are made here; its stages are offered below' },
  {
    kind: 'stage',
    path: 'stage_id',
    pipelinePath: 'pipeline_id',
    label: 'Stage new deals start in',
    campaign: true,
    emptyLabel: 'The pipeline’s first stage',
    show: (rules) => rules.send_as !== 'lead',
  },
  { kind: 'stage', path: 'qualified_stage_id', pipelinePath: 'pipeline_id', label: 'Qualify when a deal enters', campaign: true, emptyLabel: 'No stage (only won deals, if ticked)' },
  { kind: 'check', path: 'qualify_on_won', label: 'Qualify when a deal is won', campaign: true },
  { kind: 'check', path: 'unqualify_on_lost', label: 'Unqualify when a deal is lost', campaign: true },
  pushTypes,
  {
    kind: 'mapping',
    path: 'person_fields',
    label: 'Person fields',
    record: 'person',
    valueLabel: 'Template',
    required: ['name'],
    defaultValue: '{code}',
    campaign: true,
    campaignNote: 'A campaign’s own rows are added to the defaults’ (and replace the same fields).',
    hint: placeholders(PIPEDRIVE_PLACEHOLDERS),
  },
  {
    kind: 'mapping',
    path: 'deal_fields',
    label: 'Deal and lead fields',
    record: 'deal',
    valueLabel: 'Template',
    required: ['title'],
    defaultValue: '{referral_link}',
    campaign: true,
    campaignNote: 'A campaign’s own rows are added to the defaults’ (and replace the same fields).',
    hint: `${placeholders(PIPEDRIVE_PLACEHOLDERS)}. Leads use the deal fields.`,
  },
  { kind: 'check', path: 'create_fields', label: 'Create “Referral code”, “Referral link” and “Referred by” fields in Pipedrive and map them' },
  { kind: 'number', path: 'catch_up_every_seconds', label: 'Look for persons a webhook missed every (seconds)', nullable: true, hint: 'Empty: never' },
];

const hubspot = [
  { kind: 'hubspot-rule', path: 'qualify', label: 'Qualify a referral when', campaign: true },
  { kind: 'hubspot-rule', path: 'unqualify', label: 'Unqualify it when', optional: true, campaign: true },
  {
    kind: 'group',
    path: 'deal',
    label: 'Create a deal next to each contact',
    campaign: true,
    start: (options) => {
      const p = options && options.pipelines[0];
      return { pipeline_id: p ? String(p.id) : '', stage_id: p && p.stages[0] ? String(p.stages[0].id) : '', name: 'Referral: {name}' };
    },
    controls: [
      { kind: 'pipeline', path: 'pipeline_id', label: 'Deal pipeline', redraw: true, stages: { stage_id: true } },
      { kind: 'stage', path: 'stage_id', pipelinePath: 'pipeline_id', label: 'Deal stage' },
      { kind: 'text', path: 'name', label: 'Deal name', hint: 'Placeholders: {name} {email} {code} {campaign}' },
    ],
  },
  pushTypes,
  { kind: 'check', path: 'create_properties', label: 'Create the Referloop contact properties (referral code, link, referrer, status)' },
  { kind: 'check', path: 'polling.enabled', label: 'Also poll HubSpot for changes (when webhooks cannot reach this hub)', redraw: true },
  { kind: 'number', path: 'polling.interval_seconds', label: 'Poll every (seconds)', show: (rules, root) => Boolean(root.polling && root.polling.enabled) },
];

const sfRecord = (root) => (root.push_as === 'contact' ? 'Contact' : 'Lead');
// The referral fields are written on the pushed records and read back on the synced ones: both must have them.
const sfPushedAndSynced = (root) => [...new Set([sfRecord(root), root.sync_object || 'Contact'])];
const sfField = (path, label, hint, record = sfPushedAndSynced) => ({ kind: 'field', path, label, hint, record, nullable: true, noneLabel: 'Not written' });

const salesforce = [
  {
    kind: 'choice',
    path: 'push_as',
    label: 'Send referred users as',
    redraw: true,
    choices: [
      ['lead', 'Leads'],
      ['contact', 'Contacts'],
    ],
  },
  sfField('referral_code_field', 'Field for the referral code', 'Written on push, read back to match records'),
  sfField('referral_link_field', 'Field for the referral link'),
  sfField('referred_by_field', 'Field for the referrer (name and email)'),
  sfField('opportunity_referral_code_field', 'Opportunity field holding the referral code', 'Lead conversion can map the code across', 'Opportunity'),
  { kind: 'text', path: 'company', label: 'Company of pushed Leads', hint: placeholders(SALESFORCE_PLACEHOLDERS), show: (rules, root) => root.push_as !== 'contact' },
  { kind: 'picklist', picklist: 'lead_source', path: 'lead_source', label: 'Lead source', nullable: true, noneLabel: 'Not set', campaign: true },
  { kind: 'picklist', picklist: 'lead_status', path: 'qualified_lead_status', label: 'Qualify when the Lead status is', nullable: true, noneLabel: 'No Lead status qualifies', campaign: true },
  {
    kind: 'picklist',
    picklist: 'opportunity_stage',
    path: 'qualified_opportunity_stage',
    label: 'Qualify when an Opportunity reaches',
    nullable: true,
    noneLabel: 'No Opportunity stage qualifies',
    campaign: true,
  },
  { kind: 'picklist', picklist: 'opportunity_stage', path: 'unqualified_opportunity_stage', label: 'Unqualify when an Opportunity reaches', nullable: true, noneLabel: 'Never', campaign: true },
  pushTypes,
  { kind: 'mapping', path: 'extra_fields', label: 'More fields of pushed records', record: sfRecord, valueLabel: 'Template', hint: placeholders(SALESFORCE_PLACEHOLDERS) },
  {
    kind: 'choice',
    path: 'detection',
    label: 'Notice changes through',
    redraw: true,
    choices: [
      ['cdc', 'Change Data Capture (streaming)'],
      ['polling', 'Polling with SOQL'],
    ],
  },
  { kind: 'number', path: 'poll_interval_seconds', label: 'Poll every (seconds)', show: (rules, root) => root.detection === 'polling' },
  {
    kind: 'choice',
    path: 'sync_object',
    label: 'A contact sync reads',
    redraw: true,
    choices: [
      ['Contact', 'Contacts'],
      ['Lead', 'Leads'],
    ],
  },
];

const STRIPE_METADATA = [
  ['first_name', 'First name'],
  ['last_name', 'Last name'],
  ['name', 'Name'],
  ['email', 'Email'],
  ['code', 'Referral code'],
  ['referral_link', 'Referral link'],
  ['campaign', 'Campaign'],
  ['referrer_first_name', 'Referrer first name'],
  ['referrer_last_name', 'Referrer last name'],
  ['referrer_name', 'Referrer name'],
  ['referrer_email', 'Referrer email'],
  ['referrer_code', 'Referrer code'],
];

const stripe = [
  {
    kind: 'choice',
    path: 'customer_creation',
    label: 'Stripe customers for sign-ups',
    campaign: true,
    choices: [
      ['never', 'Never make one (checkout does; spend matched by email)'],
      ['if_not_exists', 'Make one only when none has the email'],
      ['update_existing', 'Reuse and update the one with the email, else make one'],
      ['always', 'Always make a new one'],
    ],
  },
  { kind: 'text', path: 'currency', label: 'Currency spend is counted in', hint: 'Three letters; the account’s default when empty', redraw: true },
  { kind: 'money', path: 'min_total_spend', label: 'Qualify when the friend has spent at least', campaign: true, hint: 'Empty: spend does not qualify' },
  { kind: 'number', path: 'within_days', label: 'within (days after sign-up)', campaign: true },
  { kind: 'check', path: 'unqualify_on_refund', label: 'A refund in that window below the threshold unqualifies', campaign: true },
  { kind: 'check', path: 'issue_rewards', label: 'Issue credit and coupon rewards through Stripe', campaign: true },
  pushTypes,
  {
    kind: 'mapping',
    path: 'metadata',
    label: 'Customer metadata',
    keys: STRIPE_METADATA,
    keyLabel: 'participant field',
    valueLabel: 'Metadata key',
    required: ['first_name', 'email'],
    campaign: true,
    campaignNote: 'A campaign’s own metadata replaces the defaults’ entirely.',
    hint: 'Keys up to 40 characters; first name and email are required',
  },
  { kind: 'mapping', path: 'metadata_values', label: 'Fixed metadata values', freeKeys: true, keyLabel: 'key', valueLabel: 'Value', addLabel: 'Add a value', campaign: true },
];

export const vendorForms = { pipedrive, hubspot, salesforce, stripe };
