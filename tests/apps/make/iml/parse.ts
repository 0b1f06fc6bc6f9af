/**
 * Parser for the subset of Make's IML expression language this app uses (the text between `{{` and `}}`):
 * paths (`body.data[1].id`, 1-based indexes), string/number/boolean/null literals, function calls with
 * `;` or `,` between arguments, comparisons (`=`, `!=`, `<`, `>`, `<=`, `>=`), `and`/`or` and `+ - * /`.
 * It is an approximation written for tests, not Make's implementation.
 */

export type Step = { kind: 'key'; key: string } | { kind: 'index'; index: Expr };

export type BinaryOp = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'and' | 'or' | '+' | '-' | '*' | '/';

export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'path'; root: string; steps: Step[] }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr };

type Token =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'ident'; v: string }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: string };

/** Raised for an expression outside the supported subset, so a test fails loudly instead of guessing. */
export class ImlSyntaxError extends Error {}

const OPERATORS = ['<=', '>=', '!=', '=', '<', '>', '+', '-', '*', '/'];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      const end = src.indexOf(c, i + 1);
      if (end < 0) throw new ImlSyntaxError(`unterminated string in ${src}`);
      out.push({ t: 'str', v: src.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i));
      out.push({ t: 'num', v: Number(m![0]) });
      i += m![0].length;
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i));
      out.push({ t: 'ident', v: m![0] });
      i += m![0].length;
    } else if ('.[]();,'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i));
      if (!op) throw new ImlSyntaxError(`unexpected character ${c} in ${src}`);
      out.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  return out;
}

const PRECEDENCE: Record<string, number> = { or: 1, and: 2, '=': 3, '!=': 3, '<': 3, '>': 3, '<=': 3, '>=': 3, '+': 4, '-': 4, '*': 5, '/': 5 };

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  parseAll(): Expr {
    const e = this.parseBinary(0);
    if (this.pos < this.tokens.length) throw new ImlSyntaxError(`unexpected input after expression in ${this.src}`);
    return e;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private expectPunct(v: string): void {
    const t = this.tokens[this.pos++];
    if (!t || t.t !== 'punct' || t.v !== v) throw new ImlSyntaxError(`expected ${v} in ${this.src}`);
  }

  private binaryOp(): BinaryOp | null {
    const t = this.peek();
    if (!t) return null;
    if (t.t === 'op') return t.v as BinaryOp;
    if (t.t === 'ident' && (t.v === 'and' || t.v === 'or')) return t.v;
    return null;
  }

  private parseBinary(minPrec: number): Expr {
    let left = this.parsePrimary();
    for (;;) {
      const op = this.binaryOp();
      if (!op || PRECEDENCE[op] <= minPrec) return left;
      this.pos++;
      const right = this.parseBinary(PRECEDENCE[op]);
      left = { kind: 'binary', op, left, right };
    }
  }

  private parsePrimary(): Expr {
    const t = this.tokens[this.pos++];
    if (!t) throw new ImlSyntaxError(`unexpected end of ${this.src}`);
    if (t.t === 'num' || t.t === 'str') return { kind: 'literal', value: t.v };
    if (t.t === 'punct' && t.v === '(') {
      const inner = this.parseBinary(0);
      this.expectPunct(')');
      return inner;
    }
    if (t.t !== 'ident') throw new ImlSyntaxError(`unexpected ${t.v} in ${this.src}`);
    if (t.v === 'true' || t.v === 'false') return { kind: 'literal', value: t.v === 'true' };
    if (t.v === 'null') return { kind: 'literal', value: null };
    const next = this.peek();
    if (next?.t === 'punct' && next.v === '(') {
      this.pos++;
      const args: Expr[] = [];
      if (!(this.peek()?.t === 'punct' && this.peek()?.v === ')')) {
        for (;;) {
          args.push(this.parseBinary(0));
          const sep = this.tokens[this.pos++];
          if (sep?.t === 'punct' && sep.v === ')') break;
          if (!(sep?.t === 'punct' && (sep.v === ';' || sep.v === ','))) throw new ImlSyntaxError(`expected ; or ) in ${this.src}`);
        }
      } else {
        this.pos++;
      }
      return { kind: 'call', name: t.v, args };
    }
    const steps: Step[] = [];
    for (;;) {
      const p = this.peek();
      if (p?.t === 'punct' && p.v === '.') {
        this.pos++;
        const key = this.tokens[this.pos++];
        if (!key || (key.t !== 'ident' && key.t !== 'num')) throw new ImlSyntaxError(`expected a key after . in ${this.src}`);
        steps.push({ kind: 'key', key: String(key.v) });
      } else if (p?.t === 'punct' && p.v === '[') {
        this.pos++;
        steps.push({ kind: 'index', index: this.parseBinary(0) });
        this.expectPunct(']');
      } else {
        return { kind: 'path', root: t.v, steps };
      }
    }
  }
}

/** Parse one IML expression (without the braces). */
export function parseExpression(src: string): Expr {
  return new Parser(tokenize(src), src).parseAll();
}

/** A template string cut into literal text and `{{expression}}` parts. */
export type TemplatePart = { kind: 'text'; text: string } | { kind: 'expr'; expr: Expr; source: string };

/** Split a string into text and `{{…}}` expressions; quotes inside an expression may contain braces. */
export function parseTemplate(src: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      parts.push({ kind: 'text', text: src.slice(i) });
      break;
    }
    if (open > i) parts.push({ kind: 'text', text: src.slice(i, open) });
    let j = open + 2;
    let quote: string | null = null;
    while (j < src.length) {
      const c = src[j];
      if (quote) {
        if (c === quote) quote = null;
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === '}' && src[j + 1] === '}') {
        break;
      }
      j++;
    }
    if (j >= src.length) throw new ImlSyntaxError(`unterminated {{ in ${src}`);
    const source = src.slice(open + 2, j);
    parts.push({ kind: 'expr', expr: parseExpression(source), source });
    i = j + 2;
  }
  return parts;
}
