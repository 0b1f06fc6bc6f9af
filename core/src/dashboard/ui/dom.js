/* global document, navigator, Node, setTimeout, clearTimeout */
// Small DOM helpers. Text always goes in as text nodes, never as HTML, so data from the hub
// cannot inject markup.

/** Create an element: h('a', { href, class }, 'text', child…). `on*` attributes become listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replace everything inside `el`. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

let fieldSeq = 0;
/** A labelled form control; `hint` is tied to it with aria-describedby. */
export function field(label, control, hint) {
  const id = control.id || `f${++fieldSeq}`;
  control.id = id;
  const hintEl = hint ? h('small', { id: `${id}-hint`, class: 'hint' }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  if (control.type === 'checkbox') return h('div', { class: 'field check' }, control, h('label', { for: id }, label), hintEl);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

export function select(name, options, value) {
  return h(
    'select',
    { name },
    options.map((o) => {
      const [v, text] = Array.isArray(o) ? o : [o, o];
      return h('option', { value: v, selected: String(v) === String(value ?? '') }, text);
    }),
  );
}

export function money(amount, currency) {
  if (amount === null || amount === undefined) return '';
  if (!currency) return String(amount);
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount / 100);
  } catch {
    return `${(amount / 100).toFixed(2)} ${currency}`;
  }
}

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return h('time', { datetime: iso, title: d.toISOString() }, d.toLocaleString('en', { dateStyle: 'medium', timeStyle: 'short' }));
}

export function day(iso) {
  return iso ? new Date(iso).toLocaleDateString('en', { dateStyle: 'medium' }) : '';
}

/** A status word with its colour class (colour is never the only signal: the word is there). */
export function badge(status) {
  return status ? h('span', { class: `badge b-${status}` }, status.replace(/_/g, ' ')) : h('span', { class: 'muted' }, '—');
}

export function empty(text, action) {
  return h('div', { class: 'empty', role: 'status' }, h('p', {}, text), action);
}

/** A readable error box for a failed call. */
export function errorBox(err) {
  const message = err && err.message ? err.message : 'Something went wrong';
  // A lone field error is usually the message itself: say it once.
  const lines = (err && err.fieldErrors ? err.fieldErrors : []).filter((l) => l !== message);
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', {}, message),
    lines.length ? h('ul', {}, lines.map((l) => h('li', {}, l))) : null,
  );
}

/** A live region that screen readers announce: success and progress messages. */
export function toast(text) {
  const region = document.getElementById('toast');
  if (!region) return;
  region.textContent = text;
  region.classList.add('show');
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => region.classList.remove('show'), 4000);
}

export function copyButton(text, label = 'Copy') {
  const btn = h('button', { type: 'button', class: 'secondary small' }, label);
  btn.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(text);
      toast('Copied to the clipboard');
    } catch {
      toast('Select the text and copy it by hand');
    }
  });
  return btn;
}

/** A section heading plus content, as a landmark-friendly block. */
export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

/** A wide table that scrolls inside its own box on small screens (focusable, so keys scroll it too). */
export function scrollTable(label, table) {
  return h('div', { class: 'table-scroll', role: 'region', 'aria-label': label, tabindex: '0' }, table);
}

/** The values of a form's named controls (checkboxes as booleans). */
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name) continue;
    out[el.name] = el.type === 'checkbox' ? el.checked : el.value;
  }
  return out;
}

/** Run an async action from a button: disabled while running, errors shown in `where`. */
export async function busy(button, where, fn) {
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  if (where) where.replaceChildren();
  try {
    return await fn();
  } catch (err) {
    if (where) where.append(errorBox(err));
    else toast(err.message);
    return undefined;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
