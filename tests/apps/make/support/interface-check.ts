import { isRecord } from '../iml/evaluate';
import { type Param, parseParams } from '../runtime/parameters';

/**
 * Compare an output bundle with a module's interface. `exact`: every field of the value is declared and
 * every declared field is present (resources always carry all their keys, null when empty). `subset`: every
 * field of the value is declared (for the event envelope, whose data holds one of several resources).
 */
export function interfaceProblems(spec: Param[], value: unknown, mode: 'exact' | 'subset', path = ''): string[] {
  if (!isRecord(value)) return [`${path || '(bundle)'}: expected an object, got ${JSON.stringify(value)}`];
  const problems: string[] = [];
  const names = new Set(spec.map((p) => p.name));
  for (const key of Object.keys(value)) if (!names.has(key)) problems.push(`${path}${key}: in the output but not in the interface`);
  for (const p of spec) {
    const v = value[p.name];
    if (!(p.name in value)) {
      if (mode === 'exact') problems.push(`${path}${p.name}: in the interface but not in the output`);
      continue;
    }
    if (v === null || v === undefined) continue;
    const where = `${path}${p.name}`;
    if (p.type === 'collection' && Array.isArray(p.spec)) problems.push(...interfaceProblems(parseParams(p.spec), v, mode, `${where}.`));
    else if (p.type === 'array') {
      if (!Array.isArray(v)) problems.push(`${where}: expected an array`);
      else {
        const item = isRecord(p.spec) ? p.spec : undefined;
        if (item?.type === 'collection' && Array.isArray(item.spec)) {
          const itemSpec = parseParams(item.spec);
          v.forEach((x, i) => problems.push(...interfaceProblems(itemSpec, x, mode, `${where}[${i + 1}].`)));
        }
      }
    } else if (['text', 'email', 'url', 'date'].includes(p.type) && typeof v !== 'string') problems.push(`${where}: ${p.type} field holds ${typeof v}`);
    else if (['number', 'uinteger', 'integer'].includes(p.type) && typeof v !== 'number') problems.push(`${where}: ${p.type} field holds ${typeof v}`);
    else if (p.type === 'boolean' && typeof v !== 'boolean') problems.push(`${where}: boolean field holds ${typeof v}`);
  }
  return problems;
}
