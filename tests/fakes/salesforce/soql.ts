/**
 * The part of SOQL the Salesforce fake answers: `SELECT fields | COUNT() FROM Object [WHERE …]
 * [ORDER BY f [ASC|DESC], …] [LIMIT n]`, with AND / OR / NOT, parentheses, = != < > <= >= LIKE and
 * IN, string / number / boolean / null and unquoted datetime literals — what a connector sends.
 * Anything else is a MALFORMED_QUERY, as Salesforce would answer.
 */

export type FieldValue = string | number | boolean | null;
export type SObjectRecord = Record<string, FieldValue>;

export class SoqlError extends Error {}

interface Literal {
  kind: 'literal';
  value: FieldValue;
  datetime: boolean;
}
type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; inner: Condition }
  | { kind: 'compare'; field: string; op: string; value: Literal }
  | { kind: 'in'; field: string; values: Literal[]; negated: boolean };

export interface Query {
  count: boolean;
  fields: string[];
  object: string;
  where: Condition | null;
  orderBy: Array<{ field: string; desc: boolean }>;
  limit: number | null;
}

const TOKEN = /\s*(?:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2}))|('(?:\\.|[^'\\])*')|(!=|<=|>=|[=<>(),])|([A-Za-z_][A-Za-z0-9_.]*)|(-?\d+(?:\.\d+)?))/y;

function tokenize(soql: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < soql.length) {
    if (/^\s*$/.test(soql.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(soql);
    if (!m) throw new SoqlError(`unexpected token at ${at}: ${soql.slice(at, at + 20)}`);
    tokens.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]);
    at = TOKEN.lastIndex;
  }
  return tokens;
}

export function parseSoql(soql: string): Query {
  const t = tokenize(soql);
  let i = 0;
  const peek = () => t[i]?.toUpperCase();
  const next = () => {
    if (i >= t.length) throw new SoqlError('unexpected end of query');
    return t[i++];
  };
  const expect = (word: string) => {
    const got = next();
    if (got.toUpperCase() !== word) throw new SoqlError(`expected ${word}, got ${got}`);
  };
  const literal = (): Literal => {
    const raw = next();
    if (raw.startsWith("'")) return { kind: 'literal', value: raw.slice(1, -1).replace(/\\(.)/g, '$1'), datetime: false };
    if (/^\d{4}-\d{2}-\d{2}T/.test(raw)) return { kind: 'literal', value: new Date(Date.parse(raw.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString(), datetime: true };
    const upper = raw.toUpperCase();
    if (upper === 'NULL') return { kind: 'literal', value: null, datetime: false };
    if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'literal', value: upper === 'TRUE', datetime: false };
    if (/^-?\d/.test(raw)) return { kind: 'literal', value: Number(raw), datetime: false };
    throw new SoqlError(`unexpected value ${raw}`);
  };
  const primary = (): Condition => {
    if (peek() === 'NOT') {
      next();
      return { kind: 'not', inner: primary() };
    }
    if (peek() === '(') {
      next();
      const inner = orCondition();
      expect(')');
      return inner;
    }
    const field = next();
    if (peek() === 'IN' || (peek() === 'NOT' && t[i + 1]?.toUpperCase() === 'IN')) {
      const negated = peek() === 'NOT';
      if (negated) next();
      next();
      expect('(');
      const values = [literal()];
      while (peek() === ',') {
        next();
        values.push(literal());
      }
      expect(')');
      return { kind: 'in', field, values, negated };
    }
    const op = next().toUpperCase();
    if (!['=', '!=', '<', '>', '<=', '>=', 'LIKE'].includes(op)) throw new SoqlError(`unknown operator ${op}`);
    return { kind: 'compare', field, op, value: literal() };
  };
  const andCondition = (): Condition => {
    let left = primary();
    while (peek() === 'AND') {
      next();
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const orCondition = (): Condition => {
    let left = andCondition();
    while (peek() === 'OR') {
      next();
      left = { kind: 'or', left, right: andCondition() };
    }
    return left;
  };

  expect('SELECT');
  let count = false;
  const fields: string[] = [];
  if (peek() === 'COUNT') {
    next();
    expect('(');
    expect(')');
    count = true;
  } else {
    fields.push(next());
    while (peek() === ',') {
      next();
      fields.push(next());
    }
  }
  expect('FROM');
  const object = next();
  let where: Condition | null = null;
  if (peek() === 'WHERE') {
    next();
    where = orCondition();
  }
  const orderBy: Query['orderBy'] = [];
  if (peek() === 'ORDER') {
    next();
    expect('BY');
    for (;;) {
      const field = next();
      let desc = false;
      if (peek() === 'ASC' || peek() === 'DESC') desc = next().toUpperCase() === 'DESC';
      orderBy.push({ field, desc });
      if (peek() !== ',') break;
      next();
    }
  }
  let limit: number | null = null;
  if (peek() === 'LIMIT') {
    next();
    limit = Number(next());
  }
  if (i < t.length) throw new SoqlError(`unexpected ${t[i]}`);
  return { count, fields, object, where, orderBy, limit };
}

/** A record's field, by SOQL's case-insensitive name. */
export function fieldOf(record: SObjectRecord, name: string): FieldValue {
  const key = Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? null : record[key];
}

function compare(a: FieldValue, b: FieldValue, datetime: boolean): number {
  if (datetime && typeof a === 'string' && typeof b === 'string') return Date.parse(a.replace(/([+-]\d{2})(\d{2})$/, '$1:$2')) - Date.parse(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function matches(record: SObjectRecord, c: Condition): boolean {
  switch (c.kind) {
    case 'and':
      return matches(record, c.left) && matches(record, c.right);
    case 'or':
      return matches(record, c.left) || matches(record, c.right);
    case 'not':
      return !matches(record, c.inner);
    case 'in': {
      const v = fieldOf(record, c.field);
      const found = c.values.some((l) => (typeof v === 'string' && typeof l.value === 'string' ? v.toLowerCase() === l.value.toLowerCase() : v === l.value));
      return c.negated ? !found : found;
    }
    case 'compare': {
      const v = fieldOf(record, c.field);
      const l = c.value.value;
      if (l === null) return c.op === '=' ? v === null : c.op === '!=' ? v !== null : false;
      if (v === null) return c.op === '!=';
      if (c.op === 'LIKE') return new RegExp(`^${String(l).replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`, 'i').test(String(v));
      // Text comparisons are case-insensitive in SOQL (email addresses included).
      const d = typeof v === 'string' && typeof l === 'string' && !c.value.datetime ? compare(v.toLowerCase(), l.toLowerCase(), false) : compare(v, l, c.value.datetime);
      return { '=': d === 0, '!=': d !== 0, '<': d < 0, '>': d > 0, '<=': d <= 0, '>=': d >= 0 }[c.op] ?? false;
    }
  }
}

/** Run a parsed query over an object's records: the matching records, ordered and limited, and how many matched. */
export function runQuery(query: Query, records: SObjectRecord[]): { totalSize: number; rows: SObjectRecord[] } {
  const where = query.where;
  let rows = where ? records.filter((r) => matches(r, where)) : [...records];
  if (query.count) return { totalSize: rows.length, rows: [] };
  rows.sort((a, b) => {
    for (const o of query.orderBy) {
      const isDate = /date|stamp/i.test(o.field);
      const d = compare(fieldOf(a, o.field), fieldOf(b, o.field), isDate);
      if (d !== 0) return o.desc ? -d : d;
    }
    return 0;
  });
  if (query.limit !== null) rows = rows.slice(0, query.limit);
  return { totalSize: rows.length, rows: rows.map((r) => Object.fromEntries(query.fields.map((f) => [canonical(r, f), fieldOf(r, f)]))) };
}

function canonical(record: SObjectRecord, name: string): string {
  return Object.keys(record).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
}
