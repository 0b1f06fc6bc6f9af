/* global document, CSS, structuredClone */
// An integration's settings as a form: the defaults every campaign follows, or one campaign's
// own rules, drawn from the vendor's descriptor with pickers filled from the account (pipelines,
// stages, picklists, fields). The settings object being edited is the one source of truth; an
// "edit as JSON" panel shows and replaces it for anything the form does not cover.
import { h, field, errorBox } from './dom.js';
import { buildControl, getPath } from './settings-controls.js';
import './settings-editors.js';
import { vendorForms } from './settings-vendors.js';

let seq = 0;

/**
 * @param {{ vendor: string, name: string, settings: object, campaigns: Array<{id: string, name: string}> }} input
 * @returns {{ el: HTMLElement, read(): object, reset(settings: object): void, setOptions(options: object | null): void }}
 */
export function settingsForm({ vendor, name, settings, campaigns }) {
  const descriptor = vendorForms[vendor];
  const idPrefix = `s${++seq}-${vendor}`;
  let work = structuredClone(settings || {});
  if (!work.campaigns || typeof work.campaigns !== 'object') work.campaigns = {};
  let options = null;
  let scope = '';
  const body = h('div', { class: 'settings-body' });
  const scopeSel = h('select', { name: 'scope' });
  const scopeHint = h('div');

  const campaignName = (id) => (campaigns.find((c) => c.id === id) || { name: id }).name;

  const drawScopes = () => {
    const own = Object.keys(work.campaigns);
    const choices = [['', 'Defaults for every campaign'], ...campaigns.map((c) => [c.id, `${c.name}${own.includes(c.id) ? ' (own rules)' : ''}`])];
    // A campaign named in the settings but not (or no longer) in the list still shows.
    for (const id of own) if (!campaigns.some((c) => c.id === id)) choices.push([id, `${id} (own rules)`]);
    scopeSel.replaceChildren(...choices.map(([v, t]) => h('option', { value: v, selected: v === scope }, t)));
  };

  const context = () => {
    const campaign = scope !== '';
    const target = campaign ? work.campaigns[scope] : work;
    return {
      campaign,
      root: work,
      options,
      idPrefix,
      get: (p) => getPath(target, p),
      inherited: (p) => (campaign ? getPath(work, p) : undefined),
      set(p, value, redraw) {
        const keys = p.split('.');
        let o = target;
        for (const k of keys.slice(0, -1)) o = o[k] && typeof o[k] === 'object' ? o[k] : (o[k] = {});
        if (value === undefined) delete o[keys[keys.length - 1]];
        else o[keys[keys.length - 1]] = value;
        if (redraw) draw();
      },
    };
  };

  function draw() {
    // Redrawing keeps the keyboard where it was: the control with the same path gets focus back.
    const focused = document.activeElement && body.contains(document.activeElement) ? document.activeElement.getAttribute('data-path') : null;
    drawScopes();
    const campaign = scope !== '';
    const listed = Object.keys(work.campaigns).length > 0;
    scopeHint.replaceChildren(
      h(
        'p',
        { class: 'hint' },
        listed
          ? `${name} acts only on the campaigns that have their own rules: ${Object.keys(work.campaigns).map(campaignName).join(', ')}. What they leave unset follows the defaults.`
          : `${name} acts on every campaign with the defaults. Give a campaign its own rules to change them for it; ${name} then acts only on campaigns that have their own rules.`,
      ),
    );
    if (campaign && !work.campaigns[scope]) {
      const give = h('button', { type: 'button', class: 'secondary' }, `Give ${campaignName(scope)} its own rules`);
      give.addEventListener('click', () => {
        work.campaigns[scope] = {};
        draw();
      });
      body.replaceChildren(h('p', {}, `${campaignName(scope)} follows the defaults.`), give);
      return;
    }
    const ctx = context();
    const target = campaign ? work.campaigns[scope] : work;
    const controls = descriptor.filter((d) => (!campaign || d.campaign) && (!d.show || d.show({ ...work, ...target }, work))).map((d) => buildControl(d, ctx));
    const parts = [h('div', { class: 'settings-grid' }, controls)];
    if (campaign) {
      const remove = h('button', { type: 'button', class: 'danger small' }, `Remove ${campaignName(scope)}’s own rules`);
      remove.addEventListener('click', () => {
        delete work.campaigns[scope];
        draw();
      });
      parts.push(h('div', { class: 'actions' }, remove));
    }
    body.replaceChildren(...parts);
    const back = focused && body.querySelector(`[data-path="${CSS.escape(focused)}"]`);
    if (back) back.focus();
  }

  scopeSel.addEventListener('change', () => {
    scope = scopeSel.value;
    draw();
  });

  // Edit as JSON: for settings the form does not show; applying replaces the whole object.
  const json = h('textarea', { name: 'settings_json', rows: '10', spellcheck: 'false' });
  const apply = h('button', { type: 'button', class: 'secondary small' }, 'Apply JSON');
  const jsonOut = h('div', { 'aria-live': 'polite' });
  const advanced = h('details', { class: 'advanced' }, h('summary', {}, 'Edit the settings as JSON'), field('Settings (JSON)', json, 'Applied to the form above; saved with Save'), apply, jsonOut);
  const applyJson = () => {
    jsonOut.replaceChildren();
    let parsed;
    try {
      parsed = json.value.trim() ? JSON.parse(json.value) : {};
    } catch {
      throw new Error('Settings (JSON) is not valid JSON');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('Settings (JSON) must be an object');
    work = parsed;
    if (!work.campaigns || typeof work.campaigns !== 'object') work.campaigns = {};
    if (scope && !work.campaigns[scope]) scope = '';
    draw();
  };
  advanced.addEventListener('toggle', () => {
    if (advanced.open) json.value = JSON.stringify(work, null, 2);
  });
  apply.addEventListener('click', () => {
    try {
      applyJson();
    } catch (err) {
      jsonOut.replaceChildren(errorBox(err));
    }
  });

  draw();
  const el = h('fieldset', { class: 'settings' }, h('legend', {}, `${name} settings`), field('Rules for', scopeSel), scopeHint, body, advanced);
  return {
    el,
    /** The settings to save; JSON typed but not applied is applied first (errors throw). */
    read() {
      if (advanced.open && json.value.trim() !== JSON.stringify(work, null, 2)) applyJson();
      return work;
    },
    /** Start again from these settings (the connector's defaults, before a first connect). */
    reset(next) {
      work = structuredClone(next || {});
      if (!work.campaigns || typeof work.campaigns !== 'object') work.campaigns = {};
      scope = '';
      draw();
    },
    setOptions(next) {
      options = next;
      draw();
    },
  };
}
