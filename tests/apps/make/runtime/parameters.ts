import { z } from 'zod';
import { isEmpty, isRecord } from '../iml/evaluate';

/**
 * What Make does with a module's input before IML sees it, approximated: unknown names are refused
 * (a test mapping a field the module does not declare is a bug), required fields must be present,
 * defaults fill fields left out, static select options are enforced, and empty values are dropped
 * (Make's "empty values" processing for apps on platform version 2 ignores a field that has no value).
 */
const optionSchema: z.ZodType<Option> = z.lazy(() =>
  z.object({ label: z.string().optional(), value: z.unknown(), nested: z.union([z.array(paramSchema), z.string()]).optional() }).passthrough(),
);
const paramSchema: z.ZodType<Param> = z.lazy(() =>
  z
    .object({
      name: z.string(),
      type: z.string(),
      required: z.boolean().optional(),
      default: z.unknown().optional(),
      options: z.union([z.array(optionSchema), z.string(), z.record(z.string(), z.unknown())]).optional(),
      spec: z.unknown().optional(),
    })
    .passthrough(),
);

interface Option {
  label?: string;
  value?: unknown;
  nested?: Param[] | string;
}
export interface Param {
  name: string;
  type: string;
  required?: boolean;
  default?: unknown;
  options?: Option[] | string | Record<string, unknown>;
  spec?: unknown;
}

/** Parse a parameters code file (static or mappable). */
export function parseParams(value: unknown): Param[] {
  return value === undefined ? [] : z.array(paramSchema).parse(value);
}

/** The fields shown for the given input: top-level ones plus the nested fields of chosen select options. */
function visibleParams(params: Param[], input: Record<string, unknown>): Param[] {
  const out: Param[] = [];
  for (const p of params) {
    out.push(p);
    if (!Array.isArray(p.options)) continue;
    const chosen = p.options.find((o) => o.value === (input[p.name] ?? p.default));
    if (chosen && Array.isArray(chosen.nested)) out.push(...visibleParams(chosen.nested, input));
  }
  return out;
}

/** Every field name a form can hold, whatever option is chosen. */
export function declaredNames(params: Param[]): Set<string> {
  const names = new Set<string>();
  for (const p of params) {
    names.add(p.name);
    if (Array.isArray(p.options)) for (const o of p.options) if (Array.isArray(o.nested)) declaredNames(o.nested).forEach((n) => names.add(n));
  }
  return names;
}

function dropEmpty(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropEmpty);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!isEmpty(v)) out[k] = dropEmpty(v);
  return out;
}

/** Turn what a scenario maps into the `parameters` a module's IML sees. */
export function prepareParameters(params: Param[], input: Record<string, unknown>): Record<string, unknown> {
  const declared = declaredNames(params);
  for (const name of Object.keys(input)) {
    if (!declared.has(name)) throw new Error(`parameter "${name}" is not declared by the module (declared: ${[...declared].join(', ')})`);
  }
  const out: Record<string, unknown> = {};
  for (const p of visibleParams(params, input)) {
    const v = input[p.name] ?? p.default;
    if (isEmpty(v)) {
      if (p.required) throw new Error(`required parameter "${p.name}" is missing`);
      continue;
    }
    if (p.type === 'select' && Array.isArray(p.options) && !p.options.some((o) => o.value === v)) {
      throw new Error(`parameter "${p.name}" must be one of ${p.options.map((o) => String(o.value)).join(', ')}`);
    }
    out[p.name] = dropEmpty(v);
  }
  return out;
}
