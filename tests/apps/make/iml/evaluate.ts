import { type Expr, ImlSyntaxError, parseTemplate } from './parse';

/**
 * Evaluates the IML subset (see parse.ts) and renders IML-JSON templates the way Make's runtime does,
 * as far as this app needs it. Known approximations of Make's behaviour:
 * - a string that is exactly one `{{expr}}` keeps the expression's type; mixed text renders to a string
 *   (undefined and null as empty text, objects as JSON);
 * - object entries whose value renders to `undefined` are left out, like Make leaves out unset parameters;
 * - the object key `{{...}}` spreads the object its value renders to into the surrounding object;
 * - array indexes are 1-based; an unknown path is `undefined` rather than an error;
 * - only the functions below exist; any other function name is an error.
 */
export type Scope = Record<string, unknown>;

/** Raised for a function or construct outside the supported subset. */
export class ImlUnsupportedError extends Error {}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Make's notion of "empty": nothing, null, an empty string or an empty array. */
export function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

function truthy(v: unknown): boolean {
  return !(isEmpty(v) || v === false || v === 0 || v === 'false');
}

function looseEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isEmpty(a) && isEmpty(b)) return true;
  if ((typeof a === 'number' || typeof a === 'string') && (typeof b === 'number' || typeof b === 'string')) return String(a) === String(b);
  return false;
}

function toText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

type ImlFunction = (args: Expr[], scope: Scope) => unknown;

const functions: Record<string, ImlFunction> = {
  if: ([cond, yes, no], scope) => (truthy(evaluate(cond, scope)) ? evaluate(yes, scope) : no === undefined ? undefined : evaluate(no, scope)),
  ifempty: ([value, fallback], scope) => {
    const v = evaluate(value, scope);
    return isEmpty(v) ? evaluate(fallback, scope) : v;
  },
  toCollection: ([array, keyName, valueName], scope) => {
    const items = evaluate(array, scope);
    const k = toText(evaluate(keyName, scope));
    const val = toText(evaluate(valueName, scope));
    const out: Record<string, unknown> = {};
    if (!Array.isArray(items)) return out;
    for (const item of items) if (isRecord(item) && !isEmpty(item[k])) out[toText(item[k])] = item[val];
    return out;
  },
  length: ([value], scope) => {
    const v = evaluate(value, scope);
    return Array.isArray(v) || typeof v === 'string' ? v.length : 0;
  },
  join: ([array, sep], scope) => {
    const v = evaluate(array, scope);
    return Array.isArray(v) ? v.map(toText).join(toText(evaluate(sep, scope))) : toText(v);
  },
  map: ([array, key], scope) => {
    const v = evaluate(array, scope);
    const k = toText(evaluate(key, scope));
    return Array.isArray(v) ? v.map((item) => (isRecord(item) ? item[k] : undefined)) : [];
  },
  lower: ([value], scope) => toText(evaluate(value, scope)).toLowerCase(),
  upper: ([value], scope) => toText(evaluate(value, scope)).toUpperCase(),
  trim: ([value], scope) => toText(evaluate(value, scope)).trim(),
};

/** Names of the functions the evaluator knows; the app may use no others. */
export const supportedFunctions = Object.keys(functions);

function step(value: unknown, key: string | number): unknown {
  if (typeof key === 'number') {
    // IML arrays are 1-based.
    return Array.isArray(value) ? value[key - 1] : undefined;
  }
  return isRecord(value) ? value[key] : undefined;
}

/** Evaluate one parsed expression in a scope of root variables (`parameters`, `body`, `item`, …). */
export function evaluate(expr: Expr, scope: Scope): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'path': {
      let v: unknown = scope[expr.root];
      for (const s of expr.steps) {
        if (s.kind === 'key') v = step(v, s.key);
        else {
          const i = evaluate(s.index, scope);
          v = step(v, typeof i === 'number' ? i : toText(i));
        }
      }
      return v;
    }
    case 'call': {
      const fn = functions[expr.name];
      if (!fn) throw new ImlUnsupportedError(`IML function ${expr.name}() is not supported by the test evaluator`);
      return fn(expr.args, scope);
    }
    case 'binary': {
      if (expr.op === 'and') return truthy(evaluate(expr.left, scope)) && truthy(evaluate(expr.right, scope));
      if (expr.op === 'or') return truthy(evaluate(expr.left, scope)) || truthy(evaluate(expr.right, scope));
      const l = evaluate(expr.left, scope);
      const r = evaluate(expr.right, scope);
      switch (expr.op) {
        case '=':
          return looseEquals(l, r);
        case '!=':
          return !looseEquals(l, r);
        case '<':
          return Number(l) < Number(r);
        case '>':
          return Number(l) > Number(r);
        case '<=':
          return Number(l) <= Number(r);
        case '>=':
          return Number(l) >= Number(r);
        case '+':
          return typeof l === 'number' && typeof r === 'number' ? l + r : toText(l) + toText(r);
        case '-':
          return Number(l) - Number(r);
        case '*':
          return Number(l) * Number(r);
        case '/':
          return Number(l) / Number(r);
      }
    }
  }
}

const SPREAD_KEY = '{{...}}';

/** Render a string: one whole `{{expr}}` keeps its type, anything else becomes text. */
export function renderString(src: string, scope: Scope): unknown {
  const parts = parseTemplate(src);
  if (parts.length === 1 && parts[0].kind === 'expr') return evaluate(parts[0].expr, scope);
  return parts.map((p) => (p.kind === 'text' ? p.text : toText(evaluate(p.expr, scope)))).join('');
}

/** Render any IML-JSON value: strings are templates, objects and arrays are rendered deeply. */
export function render(value: unknown, scope: Scope): unknown {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return value.map((v) => render(v, scope));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, raw] of Object.entries(value)) {
      if (key === SPREAD_KEY) {
        const spread = render(raw, scope);
        if (spread === undefined || spread === null) continue;
        if (!isRecord(spread)) throw new ImlSyntaxError(`{{...}} must render to an object, got ${toText(spread)}`);
        Object.assign(out, spread);
        continue;
      }
      const k = key.includes('{{') ? toText(renderString(key, scope)) : key;
      const v = render(raw, scope);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  return value;
}

/** Every function name called anywhere in an IML-JSON document (to check the app uses only supported ones). */
export function functionsUsed(value: unknown): Set<string> {
  const names = new Set<string>();
  const visitExpr = (e: Expr): void => {
    if (e.kind === 'call') {
      names.add(e.name);
      e.args.forEach(visitExpr);
    } else if (e.kind === 'binary') {
      visitExpr(e.left);
      visitExpr(e.right);
    } else if (e.kind === 'path') {
      for (const s of e.steps) if (s.kind === 'index') visitExpr(s.index);
    }
  };
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const p of parseTemplate(v)) if (p.kind === 'expr') visitExpr(p.expr);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (k !== SPREAD_KEY && k.includes('{{')) visit(k);
        visit(x);
      }
    }
  };
  visit(value);
  return names;
}
