// The controls of an integration settings form, one builder per kind of setting. Each reads and
// writes one path of the rule set being edited (the defaults, or one campaign's own rules) and
// offers what the vendor account has (pipelines, stages, picklists, fields) when those are loaded;
// without them it falls back to a plain input, so a setting can always be typed in.
import { h, field } from './dom.js';

export function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o && typeof o === 'object' ? o[k] : undefined), obj);
}

/** Set a dotted path; `undefined` deletes the key (a campaign then follows the defaults again). */
export function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) {
    if (!o[k] || typeof o[k] !== 'object') o[k] = {};
    o = o[k];
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
}

const INHERIT = '\u0000inherit';
const NONE = '\u0000none';

/**
 * A select over [value, label] choices. Values keep their type (Pipedrive ids are numbers). In a
 * campaign's rules the first choice is "Same as defaults"; `nullable` adds "None".
 */
function choiceSelect(desc, ctx, choices) {
  const current = ctx.get(desc.path);
  const opts = [];
  if (ctx.campaign) {
    const inherited = ctx.inherited(desc.path);
    const shown = choices.find(([v]) => String(v) === String(inherited));
    opts.push([INHERIT, `Same as defaults${inherited === undefined || inherited === null ? '' : ` (${shown ? shown[1] : inherited})`}`]);
  } else if (desc.emptyLabel) opts.push([INHERIT, desc.emptyLabel]);
  // Nothing chosen yet: say so rather than show the first choice as if it were set.
  else if (current === undefined) opts.push([INHERIT, 'Choose…']);
  if (desc.nullable) opts.push([NONE, desc.noneLabel || 'None']);
  opts.push(...choices);
  // A stored value the account no longer offers stays visible rather than silently dropped.
  if (current !== undefined && current !== null && !choices.some(([v]) => String(v) === String(current))) opts.push([current, `${current} (not found in the account)`]);
  const selected = current === undefined ? INHERIT : current === null ? NONE : String(current);
  const sel = h(
    'select',
    { name: desc.path, 'data-path': desc.path },
    opts.map(([v, label]) => h('option', { value: String(v), selected: String(v) === selected }, label)),
  );
  sel.addEventListener('change', () => {
    const v = sel.value;
    const match = opts.find(([o]) => String(o) === v);
    const value = v === INHERIT ? undefined : v === NONE ? null : match ? match[0] : v;
    if (desc.stages) resetStages(desc, ctx, value);
    ctx.set(desc.path, value, desc.redraw);
  });
  return field(desc.label, sel, desc.hint);
}

/** A typed-in value where the account's list is not loaded. */
function textInput(desc, ctx, type = 'text') {
  const current = ctx.get(desc.path);
  const input = h('input', { name: desc.path, 'data-path': desc.path, type, value: current === undefined || current === null ? '' : String(current), autocomplete: 'off' });
  if (ctx.campaign) input.placeholder = `Same as defaults${ctx.inherited(desc.path) == null ? '' : ` (${ctx.inherited(desc.path)})`}`;
  if (desc.placeholder && !ctx.campaign) input.placeholder = desc.placeholder;
  input.addEventListener('change', () => {
    const raw = input.value.trim();
    let v;
    if (raw === '') v = ctx.campaign ? undefined : desc.nullable ? null : undefined;
    else if (type === 'number') v = Number(raw);
    else v = raw;
    ctx.set(desc.path, v, desc.redraw);
  });
  return field(desc.label, input, desc.hint);
}

function checkbox(desc, ctx) {
  if (ctx.campaign)
    return choiceSelect(desc, ctx, [
      [true, 'Yes'],
      [false, 'No'],
    ]);
  const input = h('input', { type: 'checkbox', name: desc.path, 'data-path': desc.path, checked: ctx.get(desc.path) === true });
  input.addEventListener('change', () => ctx.set(desc.path, input.checked, desc.redraw));
  return field(desc.label, input, desc.hint);
}

/** Money in the currency's major units on screen, minor units in settings. */
function money(desc, ctx) {
  const currency = (ctx.root.currency || '').toUpperCase();
  let digits = 2;
  try {
    if (currency) digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    /* an unknown code keeps two decimals */
  }
  const scale = 10 ** digits;
  const current = ctx.get(desc.path);
  const input = h('input', { name: desc.path, 'data-path': desc.path, type: 'number', min: '0', step: String(1 / scale), value: current == null ? '' : String(current / scale) });
  if (ctx.campaign) input.placeholder = ctx.inherited(desc.path) == null ? 'Same as defaults (none)' : `Same as defaults (${ctx.inherited(desc.path) / scale})`;
  input.addEventListener('change', () => {
    const raw = input.value.trim();
    ctx.set(desc.path, raw === '' ? undefined : Math.round(Number(raw) * scale), desc.redraw);
  });
  return field(`${desc.label}${currency ? ` (${currency})` : ''}`, input, desc.hint);
}

/**
 * A new pipeline makes the stages chosen in the old one meaningless: each stage setting it lists in
 * `stages` is cleared, or set to the new pipeline's first stage when the setting is required.
 */
function resetStages(desc, ctx, pipelineId) {
  const pipeline = ctx.options && ctx.options.pipelines.find((p) => String(p.id) === String(pipelineId));
  for (const [path, required] of Object.entries(desc.stages)) {
    const first = required && pipeline && pipeline.stages[0] ? pipeline.stages[0].id : undefined;
    ctx.set(path, first, false);
  }
}

function pipelineChoices(ctx) {
  return ctx.options ? ctx.options.pipelines.map((p) => [p.id, p.name]) : null;
}

function stageChoices(desc, ctx) {
  if (!ctx.options) return null;
  const pipelineId = ctx.get(desc.pipelinePath) ?? ctx.inherited(desc.pipelinePath);
  const pipeline = ctx.options.pipelines.find((p) => String(p.id) === String(pipelineId));
  if (!pipeline) return [];
  return pipeline.stages.map((s) => [s.id, s.name]);
}

function fieldChoices(desc, ctx) {
  if (!ctx.options) return null;
  const record = typeof desc.record === 'function' ? desc.record(ctx.root) : desc.record;
  // Several record types: only the fields all of them have (a field written on Leads and read on Contacts).
  const lists = (Array.isArray(record) ? record : [record]).map((r) => ctx.options.fields[r]);
  if (lists.some((l) => !l)) return null;
  const fields = lists[0].filter((f) => lists.every((l) => l.some((g) => g.key === f.key)));
  return fields.map((f) => [f.key, `${f.name}${f.custom ? '' : ' (built-in)'}`]);
}

function picklistChoices(desc, ctx) {
  const list = ctx.options && ctx.options.picklists[desc.picklist];
  return list ? list.map((o) => [o.value, o.label]) : null;
}

/** A list from the account when loaded, else a typed value. */
function picker(desc, ctx, choices, type) {
  if (choices === null) return textInput({ ...desc, hint: [desc.hint, 'Load the choices from the account to pick from a list.'].filter(Boolean).join(' ') }, ctx, type);
  if (choices.length === 0 && desc.kind === 'stage') return field(desc.label, h('select', { name: desc.path, disabled: true }, h('option', {}, 'Pick a pipeline first')), desc.hint);
  return choiceSelect(desc, ctx, choices);
}

/** Participant types pushed: a group of checkboxes (in a campaign, "same as defaults" or its own list). */
function types(desc, ctx) {
  const all = [
    ['referred', 'Referred friends'],
    ['direct', 'People who joined directly'],
    ['imported', 'Imported contacts'],
  ];
  const own = ctx.get(desc.path);
  const list = own ?? ctx.inherited(desc.path) ?? ['referred'];
  const inherit = ctx.campaign ? h('input', { type: 'checkbox', checked: own === undefined, name: `${desc.path}.inherit` }) : null;
  const boxes = all.map(([value, label]) => {
    const id = `${ctx.idPrefix}-${desc.path}-${value}`;
    const box = h('input', { id, type: 'checkbox', value, checked: list.includes(value), disabled: ctx.campaign && own === undefined });
    return { box, row: h('div', { class: 'field check' }, box, h('label', { for: id }, label)) };
  });
  const write = () => ctx.set(desc.path, inherit && inherit.checked ? undefined : boxes.filter((b) => b.box.checked).map((b) => b.box.value), true);
  boxes.forEach((b) => b.box.addEventListener('change', write));
  if (inherit) inherit.addEventListener('change', write);
  return h(
    'fieldset',
    {},
    h('legend', {}, desc.label),
    inherit ? field('Same as defaults', inherit) : null,
    h(
      'div',
      { class: 'checks' },
      boxes.map((b) => b.row),
    ),
    desc.hint ? h('small', { class: 'hint' }, desc.hint) : null,
  );
}

const builders = {
  choice: (d, c) => choiceSelect(d, c, d.choices),
  check: checkbox,
  number: (d, c) => textInput(d, c, 'number'),
  text: (d, c) => textInput(d, c),
  money,
  pipeline: (d, c) => picker(d, c, pipelineChoices(c)),
  stage: (d, c) => picker(d, c, stageChoices(d, c)),
  field: (d, c) => picker(d, c, fieldChoices(d, c)),
  picklist: (d, c) => picker(d, c, picklistChoices(d, c)),
  types,
};

/** Register a builder for a kind (the mapping and rule editors live in their own modules). */
export function defineControl(kind, builder) {
  builders[kind] = builder;
}

export function buildControl(desc, ctx) {
  const build = builders[desc.kind];
  if (!build) throw new Error(`no control for ${desc.kind}`);
  return build(desc, ctx);
}

export { fieldChoices, pipelineChoices, stageChoices, picklistChoices, choiceSelect, picker };
