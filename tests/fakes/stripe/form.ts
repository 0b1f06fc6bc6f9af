/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracketed nesting
 * (`metadata[code]=X`, `enabled_events[0]=charge.succeeded`, `promotion[coupon]=C`), as the
 * official SDK sends it. Parsed back into objects and arrays so routes read what was meant.
 */
export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

function isObject(value: FormValue | undefined): value is FormObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decode a form body (or a query string) into nested objects; numeric keys make arrays. */
export function parseStripeForm(text: string): FormObject {
  const root: FormObject = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const path = rawKey.replace(/\]/g, '').split('[');
    let node: FormObject = root;
    for (let i = 0; i < path.length; i++) {
      const key = path[i];
      const last = i === path.length - 1;
      if (last) {
        node[key] = value;
        break;
      }
      const next = node[key];
      if (!isObject(next)) node[key] = {};
      const child = node[key];
      if (isObject(child)) node = child;
    }
  }
  return arraysFromNumericKeys(root);
}

function arraysFromNumericKeys(node: FormObject): FormObject {
  const out: FormObject = {};
  for (const [key, value] of Object.entries(node)) out[key] = convert(value);
  return out;
}

function convert(value: FormValue): FormValue {
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.sort((a, b) => Number(a) - Number(b)).map((k) => convert(value[k]));
  }
  return arraysFromNumericKeys(value);
}

/** A string field of a parsed form, or undefined. */
export function str(form: FormObject, key: string): string | undefined {
  const value = form[key];
  return typeof value === 'string' ? value : undefined;
}

/** An integer field of a parsed form, or undefined. */
export function int(form: FormObject, key: string): number | undefined {
  const value = str(form, key);
  return value === undefined || value === '' ? undefined : Number.parseInt(value, 10);
}

/** A nested object field (metadata, promotion, restrictions), or `{}`. */
export function obj(form: FormObject, key: string): FormObject {
  const value = form[key];
  return isObject(value) ? value : {};
}

/** A string-array field (`enabled_events`). */
export function strings(form: FormObject, key: string): string[] {
  const value = form[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** `metadata[...]` as Stripe stores it: string values; an empty string deletes the key. */
export function mergeMetadata(current: Record<string, string>, update: FormObject): Record<string, string> {
  const next = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (typeof value !== 'string') continue;
    if (value === '') delete next[key];
    else next[key] = value;
  }
  return next;
}
