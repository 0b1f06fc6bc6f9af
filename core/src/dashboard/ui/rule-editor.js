/* global document */
// The reward-rule editor: one fieldset a rule, each with a live sentence saying what it does.
import { h, field, select } from './dom.js';
import { ruleText } from './rewards.js';

function ruleFieldset(rule, index) {
  const r = rule || { trigger: 'each_qualified', recipient: 'referrer', kind: 'credit', approval: 'auto', hold_days: 0, currency: 'USD' };
  const input = (name, value, attrs = {}) => h('input', { name, value: value ?? '', ...attrs });
  const preview = h('p', { class: 'preview', 'aria-live': 'polite' });
  const remove = h('button', { type: 'button', class: 'secondary small' }, 'Remove this rule');
  const fs = h(
    'fieldset',
    { class: 'rule', 'data-rule-id': r.id || '' },
    h('legend', {}, `Rule ${index + 1}`),
    h('div', { class: 'grid' },
      field('When', select('trigger', [['each_qualified', 'Each qualified friend'], ['every_nth', 'Every Nth qualified friend'], ['milestone', 'Milestone of N friends']], r.trigger)),
      field('N', input('n', r.n, { type: 'number', min: '1' })),
      field('For', select('recipient', ['referrer', 'friend', 'both'], r.recipient)),
      field('Reward', select('kind', ['credit', 'coupon', 'cash', 'custom'], r.kind)),
      field('Amount', input('amount', r.amount !== undefined && r.amount !== null ? r.amount / 100 : '', { type: 'number', min: '0', step: '0.01' })),
      field('Currency', input('currency', r.currency, { maxlength: '3' })),
      field('Percent off', input('percent_off', r.percent_off, { type: 'number', min: '1', max: '100' })),
      field('Description', input('description', r.description, { maxlength: '500', placeholder: 'e.g. 1 free month' })),
      field('Approval', select('approval', ['auto', 'manual'], r.approval)),
      field('Hold days', input('hold_days', r.hold_days, { type: 'number', min: '0', max: '365' })),
    ),
    h('div', { class: 'rule-foot' }, h('span', {}, 'Preview: '), preview, remove),
  );
  const update = () => {
    preview.textContent = ruleText(readRule(fs));
  };
  fs.addEventListener('input', update);
  fs.addEventListener('change', update);
  remove.addEventListener('click', () => fs.remove());
  update();
  return fs;
}

function val(fs, name) {
  const el = fs.querySelector(`[name="${name}"]`);
  return el ? el.value.trim() : '';
}

/** A rule as the API takes it (amounts typed in major units are sent in minor units). */
function readRule(fs) {
  const opt = (name, f) => (val(fs, name) === '' ? undefined : f(val(fs, name)));
  return {
    id: fs.dataset.ruleId || undefined,
    trigger: val(fs, 'trigger'),
    n: val(fs, 'trigger') === 'each_qualified' ? undefined : opt('n', Number),
    recipient: val(fs, 'recipient'),
    kind: val(fs, 'kind'),
    amount: opt('amount', (v) => Math.round(Number(v) * 100)),
    currency: opt('currency', (v) => v.toUpperCase()),
    percent_off: opt('percent_off', Number),
    description: opt('description', String),
    approval: val(fs, 'approval'),
    hold_days: opt('hold_days', Number) ?? 0,
  };
}

export function readRules(container) {
  return [...container.querySelectorAll('fieldset.rule')].map(readRule);
}

export function ruleEditor(rules) {
  const list = h('div', { class: 'rules' });
  const add = h('button', { type: 'button', class: 'secondary' }, 'Add a reward rule');
  const el = h('div', {}, list, add);
  const push = (r) => list.append(ruleFieldset(r, list.children.length));
  (rules || []).forEach(push);
  add.addEventListener('click', () => {
    push(null);
    const last = list.lastElementChild;
    if (last) (last.querySelector('select') || document.body).focus();
  });
  return { el };
}
