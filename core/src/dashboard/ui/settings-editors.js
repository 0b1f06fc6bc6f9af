// The composite settings editors: a field mapping (vendor field → template or key, one row each),
// a qualification rule (HubSpot: lifecycle stage, lead status or deal stage) and an optional group
// of settings (a deal made next to each contact). They register themselves with the controls.
import { h, field } from './dom.js';
import { buildControl, defineControl, fieldChoices, getPath, setPath } from './settings-controls.js';

/**
 * Rows of `key → value`. Keys come from the account's fields (`record`), a fixed list (`keys`), or
 * are typed (`freeKeys`); `required` keys stay (the vendor needs them). In a campaign's rules the
 * mapping is either the defaults' or the campaign's own (`campaignNote` says how the two combine).
 */
function mapping(desc, ctx) {
  const own = ctx.get(desc.path);
  const wrap = h('fieldset', { class: 'mapping' }, h('legend', {}, desc.label));
  const inherit = ctx.campaign ? h('input', { type: 'checkbox', checked: own === undefined }) : null;
  let rows = Object.entries(own ?? {}).map(([k, v]) => ({ key: k, value: v }));
  const choices = desc.keys ? desc.keys.map((k) => (Array.isArray(k) ? k : [k, k])) : desc.freeKeys ? null : fieldChoices(desc, ctx);
  const labelOf = (key) => (choices && (choices.find(([v]) => v === key) || [])[1]) || key;
  const list = h('div', { class: 'mapping-rows' });

  const write = () => {
    const out = {};
    for (const r of rows) if (r.key) out[r.key] = r.value;
    ctx.set(desc.path, inherit && inherit.checked ? undefined : out, false);
  };

  const keyControl = (row, i) => {
    const label = `${desc.label}, row ${i + 1}: ${desc.keyLabel || 'field'}`;
    if (choices) {
      const taken = new Set(rows.filter((r) => r !== row).map((r) => r.key));
      const opts = [['', `Choose a ${desc.keyLabel || 'field'}…`], ...choices.filter(([v]) => !taken.has(v))];
      if (row.key && !choices.some(([v]) => v === row.key)) opts.push([row.key, `${row.key} (not found in the account)`]);
      const sel = h(
        'select',
        { 'aria-label': label, disabled: desc.required && desc.required.includes(row.key) },
        opts.map(([v, t]) => h('option', { value: v, selected: v === row.key }, t)),
      );
      sel.addEventListener('change', () => {
        row.key = sel.value;
        write();
        draw();
      });
      return sel;
    }
    const input = h('input', { 'aria-label': label, value: row.key, autocomplete: 'off' });
    input.addEventListener('change', () => {
      row.key = input.value.trim();
      write();
    });
    return input;
  };

  const draw = () => {
    const disabled = inherit && inherit.checked;
    const shown = disabled ? Object.entries(ctx.inherited(desc.path) ?? {}).map(([key, value]) => ({ key, value })) : rows;
    list.replaceChildren(
      ...shown.map((row, i) => {
        const value = h('input', { 'aria-label': `${desc.valueLabel || 'Value'} for ${row.key ? labelOf(row.key) : `row ${i + 1}`}`, value: row.value, autocomplete: 'off', disabled });
        value.addEventListener('change', () => {
          row.value = value.value;
          write();
        });
        const keyEl = disabled ? h('span', {}, labelOf(row.key)) : keyControl(row, i);
        const remove = h('button', { type: 'button', class: 'secondary small', 'aria-label': `Remove ${row.key ? labelOf(row.key) : `row ${i + 1}`}` }, 'Remove');
        remove.disabled = disabled || Boolean(desc.required && desc.required.includes(row.key));
        remove.addEventListener('click', () => {
          rows = rows.filter((r) => r !== row);
          write();
          draw();
        });
        return h('div', { class: 'mapping-row' }, keyEl, h('span', { 'aria-hidden': 'true' }, '→'), value, remove);
      }),
    );
    if (shown.length === 0) list.append(h('p', { class: 'muted' }, 'Nothing mapped.'));
    add.disabled = disabled;
  };

  const add = h('button', { type: 'button', class: 'secondary small' }, desc.addLabel || 'Add a field');
  add.addEventListener('click', () => {
    rows.push({ key: '', value: desc.defaultValue || '' });
    draw();
    const last = list.lastElementChild && list.lastElementChild.querySelector('select, input');
    if (last) last.focus();
  });
  if (inherit) {
    inherit.addEventListener('change', () => {
      if (!inherit.checked && rows.length === 0) rows = Object.entries(ctx.inherited(desc.path) ?? {}).map(([key, value]) => ({ key, value }));
      write();
      draw();
    });
    wrap.append(field('Same as defaults', inherit, desc.campaignNote));
  }
  draw();
  wrap.append(list, h('div', { class: 'actions' }, add));
  if (desc.hint) wrap.append(h('small', { class: 'hint' }, desc.hint));
  return wrap;
}

/** A context whose paths are relative to `base`, with no "same as defaults" inside (the whole object is). */
function nested(ctx, base) {
  return {
    ...ctx,
    campaign: false,
    get: (p) => ctx.get(`${base}.${p}`),
    inherited: (p) => ctx.inherited(`${base}.${p}`),
    set: (p, v, redraw) => ctx.set(`${base}.${p}`, v, redraw),
  };
}

/**
 * HubSpot's rule: when the contact's lifecycle stage reaches a stage, its lead status is a value,
 * or an associated deal enters a stage. Switching the kind of rule starts it with the first choice.
 */
function hubspotRule(desc, ctx) {
  const rule = ctx.get(desc.path);
  const kinds = [
    ['lifecycle_stage', 'The lifecycle stage reaches'],
    ['lead_status', 'The lead status becomes'],
    ['deal_stage', 'An associated deal enters a stage'],
  ];
  const firstOf = (when) => {
    if (when === 'lifecycle_stage') return { when, stage: (ctx.options && (ctx.options.picklists.lifecycle_stage || [])[0]?.value) || 'customer' };
    if (when === 'lead_status') return { when, value: (ctx.options && (ctx.options.picklists.lead_status || [])[0]?.value) || '' };
    const p = ctx.options && ctx.options.pipelines[0];
    return { when, pipeline_id: p ? String(p.id) : '', stage_id: p && p.stages[0] ? String(p.stages[0].id) : '' };
  };
  const opts = [];
  if (ctx.campaign) opts.push(['', 'Same as defaults']);
  else if (desc.optional) opts.push(['', desc.noneLabel || 'Never']);
  opts.push(...kinds);
  const sel = h(
    'select',
    { name: `${desc.path}.when`, 'data-path': `${desc.path}.when` },
    opts.map(([v, t]) => h('option', { value: v, selected: v === (rule ? rule.when : '') }, t)),
  );
  sel.addEventListener('change', () => ctx.set(desc.path, sel.value ? firstOf(sel.value) : undefined, true));
  const parts = [field(desc.label, sel, desc.hint)];
  if (rule) {
    const sub = nested(ctx, desc.path);
    const label = (t) => `${desc.label}: ${t}`;
    if (rule.when === 'lifecycle_stage') parts.push(buildControl({ kind: 'picklist', picklist: 'lifecycle_stage', path: 'stage', label: label('lifecycle stage') }, sub));
    if (rule.when === 'lead_status') parts.push(buildControl({ kind: 'picklist', picklist: 'lead_status', path: 'value', label: label('lead status') }, sub));
    if (rule.when === 'deal_stage') {
      parts.push(buildControl({ kind: 'pipeline', path: 'pipeline_id', label: label('deal pipeline'), redraw: true, stages: { stage_id: true } }, sub));
      parts.push(buildControl({ kind: 'stage', path: 'stage_id', pipelinePath: 'pipeline_id', label: label('deal stage') }, sub));
    }
  }
  return h('div', { class: 'rule-control' }, parts);
}

/** An optional object of settings, on or off as a whole (HubSpot's deal next to each contact). */
function group(desc, ctx) {
  const own = ctx.get(desc.path);
  const toggle = h('input', { type: 'checkbox', checked: own !== undefined && own !== null, name: `${desc.path}.enabled` });
  toggle.addEventListener('change', () => {
    const start = {};
    for (const [p, v] of Object.entries(desc.start ? desc.start(ctx.options) : {})) setPath(start, p, v);
    ctx.set(desc.path, toggle.checked ? start : undefined, true);
  });
  const label = ctx.campaign ? `${desc.label} (this campaign’s own)` : desc.label;
  const hint = ctx.campaign && getPath(ctx.root, desc.path) ? 'Off: the defaults’ settings apply.' : desc.hint;
  const body = own ? desc.controls.map((c) => buildControl(c, nested(ctx, desc.path))) : [];
  return h('div', { class: 'group-control' }, field(label, toggle, hint), body.length ? h('div', { class: 'grid' }, body) : null);
}

defineControl('mapping', mapping);
defineControl('hubspot-rule', hubspotRule);
defineControl('group', group);
