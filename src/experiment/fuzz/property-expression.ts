/**
 * A tiny, safe expression language for fuzz properties over summary.json:
 *
 * ```
 * trades < 50
 * cascades.maxLiquidations <= 3 && defaults.lenders == 0
 * !(badDebt > 0) || leverage.max < 2 * leverage.mean
 * instruments.ABC.returns.std < 0.01
 * returns.absAcf.0 > -1
 * ```
 *
 * Grammar, loosest binding first (all binary operators left-associative):
 *
 * ```
 * or       := and ('||' and)*
 * and      := equality ('&&' equality)*
 * equality := compare (('==' | '!=') compare)*
 * compare  := sum (('<' | '<=' | '>' | '>=') sum)*
 * sum      := product (('+' | '-') product)*
 * product  := unary (('*' | '/') unary)*
 * unary    := ('!' | '-') unary | primary
 * primary  := number | 'true' | 'false' | field | '(' or ')'
 * field    := name ('.' (name | digits))*        name := [A-Za-z_][A-Za-z0-9_]*
 * ```
 *
 * Values are numbers or booleans, and the types are checked when the text is
 * parsed (`1 + true`, `trades` alone, `a < b < c` are errors with a column).
 * The text is never handed to `eval` or `Function`: it is tokenised and
 * parsed here, and a field is looked up in the given data through its own
 * properties only (`__proto__`, `constructor`, `prototype` are refused when
 * parsed), so an expression can read summary fields and nothing else.
 *
 * Arithmetic is IEEE: a field that is missing, `null` (summary.json writes
 * NaN as null) or not a number reads as NaN, and a comparison with NaN is
 * false — write `!(x > 2)` for "not above 2, or undefined".
 *
 * @module
 */

import { didYouMean } from '../config/did-you-mean.js';

/** Binary operators, by precedence level. */
export type BinaryOperator = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/';

/** A node of a parsed expression; `start`/`end` are 0-based offsets into the source. */
export type ExpressionNode =
  | { readonly kind: 'number'; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly start: number; readonly end: number }
  | { readonly kind: 'field'; readonly path: readonly string[]; readonly text: string; readonly start: number; readonly end: number }
  | { readonly kind: 'unary'; readonly op: '!' | '-'; readonly operand: ExpressionNode; readonly start: number; readonly end: number }
  | { readonly kind: 'binary'; readonly op: BinaryOperator; readonly left: ExpressionNode; readonly right: ExpressionNode; readonly start: number; readonly end: number };

/** The static type of a node. */
export type ExpressionType = 'number' | 'boolean';

/** An expression that does not parse or type-check; `column` is 1-based into the source text. */
export class ExpressionError extends Error {
  constructor(
    readonly source: string,
    /** 1-based column of the offending character. */
    readonly column: number,
    readonly problem: string,
  ) {
    super(`column ${column}: ${problem} in '${source}'`);
    this.name = 'ExpressionError';
  }
}

/**
 * Checks a field path at parse time: null when it names a number, else the
 * problem and the index of the first bad segment.
 */
export type FieldChecker = (path: readonly string[]) => { segment: number; problem: string } | null;

/** Options of {@link parseExpression}. */
export interface ParseOptions {
  /** Checks each field path (e.g. against the summary's shape); by default any path is accepted. */
  readonly fields?: FieldChecker;
  /** The type the whole expression must have. Default 'boolean'. */
  readonly type?: ExpressionType;
}

/** A parsed, type-checked expression. */
export interface CompiledExpression {
  readonly source: string;
  readonly root: ExpressionNode;
  /** The distinct field paths it reads, in order of first appearance (dotted). */
  readonly fields: readonly string[];
}

/** Keys that would reach JavaScript's object machinery. */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Most characters in an expression (a guard against pathological input). */
export const MAX_EXPRESSION_LENGTH = 2000;
/** Deepest nesting of parentheses and unary operators. */
const MAX_DEPTH = 100;

type TokenKind = 'number' | 'name' | 'op' | '(' | ')' | '.' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
}

const OPERATORS = ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '!'] as const;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    const number = /^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(source.slice(i));
    // A number right after a '.' is a list index of a field path (returns.absAcf.0), not a decimal.
    const afterDot = tokens.length > 0 && tokens[tokens.length - 1]!.kind === '.';
    if (afterDot && /[0-9]/.test(c)) {
      const digits = /^[0-9]+/.exec(source.slice(i))![0];
      tokens.push({ kind: 'name', text: digits, start: i });
      i += digits.length;
      continue;
    }
    if (number !== null && !(c === '.' && tokens.length > 0 && isPathEnd(tokens[tokens.length - 1]!))) {
      tokens.push({ kind: 'number', text: number[0], start: i });
      i += number[0].length;
      if (i < source.length && /[A-Za-z_]/.test(source[i] as string)) throw new ExpressionError(source, i + 1, `unexpected '${source[i]}' after the number ${number[0]}`);
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (name !== null) {
      tokens.push({ kind: 'name', text: name[0], start: i });
      i += name[0].length;
      continue;
    }
    if (c === '(' || c === ')' || c === '.') {
      tokens.push({ kind: c, text: c, start: i });
      i++;
      continue;
    }
    const op = OPERATORS.find((o) => source.startsWith(o, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, start: i });
      i += op.length;
      continue;
    }
    const hint = c === '=' ? " (use '==' to compare)" : c === '&' ? " (use '&&')" : c === '|' ? " (use '||')" : '';
    throw new ExpressionError(source, i + 1, `unexpected character '${c}'${hint}`);
  }
  tokens.push({ kind: 'end', text: '', start: source.length });
  return tokens;
}

function isPathEnd(t: Token): boolean {
  return t.kind === 'name';
}

/**
 * Parses and type-checks an expression.
 *
 * @throws ExpressionError with the 1-based column of the problem
 */
export function parseExpression(source: string, options: ParseOptions = {}): CompiledExpression {
  if (source.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError(source.slice(0, 40) + '…', 1, `longer than ${MAX_EXPRESSION_LENGTH} characters`);
  if (source.trim() === '') throw new ExpressionError(source, 1, 'empty expression');
  const tokens = tokenize(source);
  let pos = 0;
  let depth = 0;
  const fields: string[] = [];
  const peek = () => tokens[pos] as Token;
  const fail = (t: Token, problem: string): never => {
    throw new ExpressionError(source, t.start + 1, problem);
  };
  const describe = (t: Token) => (t.kind === 'end' ? 'the end' : `'${t.text}'`);

  const typeOf = (n: ExpressionNode): ExpressionType => {
    switch (n.kind) {
      case 'number':
      case 'field':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'unary':
        return n.op === '!' ? 'boolean' : 'number';
      case 'binary':
        return ['+', '-', '*', '/'].includes(n.op) ? 'number' : 'boolean';
    }
  };
  const expect = (n: ExpressionNode, type: ExpressionType, role: string) => {
    if (typeOf(n) !== type) {
      throw new ExpressionError(source, n.start + 1, `${role} must be ${type === 'number' ? 'a number' : 'a condition (true or false)'}, got ${type === 'number' ? 'a condition' : 'a number'} '${source.slice(n.start, n.end).trim()}'`);
    }
  };

  const binaryLevel = (ops: readonly BinaryOperator[], next: () => ExpressionNode, operand: ExpressionType | 'same') => (): ExpressionNode => {
    let left = next();
    for (;;) {
      const t = peek();
      if (t.kind !== 'op' || !ops.includes(t.text as BinaryOperator)) return left;
      pos++;
      const right = next();
      const op = t.text as BinaryOperator;
      if (operand === 'same') {
        if (typeOf(left) !== typeOf(right)) {
          throw new ExpressionError(source, t.start + 1, `'${op}' compares a ${typeOf(left) === 'number' ? 'number' : 'condition'} with a ${typeOf(right) === 'number' ? 'number' : 'condition'}`);
        }
      } else {
        expect(left, operand, `the left side of '${op}'`);
        expect(right, operand, `the right side of '${op}'`);
      }
      left = { kind: 'binary', op, left, right, start: left.start, end: right.end };
    }
  };

  const primary = (): ExpressionNode => {
    const t = peek();
    if (t.kind === 'number') {
      pos++;
      const value = Number(t.text);
      if (!Number.isFinite(value)) fail(t, `the number ${t.text} is out of range`);
      return { kind: 'number', value, start: t.start, end: t.start + t.text.length };
    }
    if (t.kind === '(') {
      pos++;
      if (++depth > MAX_DEPTH) fail(t, 'nested too deeply');
      const inner = or();
      depth--;
      const close = peek();
      if (close.kind !== ')') fail(close, `expected ')' to close the '(' at column ${t.start + 1}, got ${describe(close)}`);
      pos++;
      return { ...inner, start: t.start, end: close.start + 1 } as ExpressionNode;
    }
    if (t.kind === 'name') {
      if (/^[0-9]/.test(t.text)) fail(t, `unexpected ${describe(t)}`);
      if (t.text === 'true' || t.text === 'false') {
        pos++;
        return { kind: 'boolean', value: t.text === 'true', start: t.start, end: t.start + t.text.length };
      }
      const path: string[] = [];
      const starts: number[] = [];
      let end = t.start;
      for (;;) {
        const seg = peek();
        if (seg.kind !== 'name') fail(seg, `expected a field name after '.', got ${describe(seg)}`);
        if (FORBIDDEN.has(seg.text)) fail(seg, `'${seg.text}' is not an allowed field name`);
        path.push(seg.text);
        starts.push(seg.start);
        end = seg.start + seg.text.length;
        pos++;
        if (peek().kind !== '.') break;
        pos++;
      }
      const check = options.fields?.(path) ?? null;
      if (check !== null) throw new ExpressionError(source, (starts[check.segment] ?? t.start) + 1, check.problem);
      const text = path.join('.');
      if (!fields.includes(text)) fields.push(text);
      return { kind: 'field', path, text, start: t.start, end };
    }
    if (t.kind === ')') fail(t, "unexpected ')': no '(' to close");
    return fail(t, `expected a number, a field or '(', got ${describe(t)}`);
  };

  const unary = (): ExpressionNode => {
    const t = peek();
    if (t.kind === 'op' && (t.text === '!' || t.text === '-')) {
      pos++;
      if (++depth > MAX_DEPTH) fail(t, 'nested too deeply');
      const operand = unary();
      depth--;
      const op = t.text;
      expect(operand, op === '!' ? 'boolean' : 'number', `the operand of '${op}'`);
      return { kind: 'unary', op, operand, start: t.start, end: operand.end };
    }
    return primary();
  };

  const product = binaryLevel(['*', '/'], unary, 'number');
  const sum = binaryLevel(['+', '-'], product, 'number');
  const compare = (): ExpressionNode => {
    const left = sum();
    const t = peek();
    if (t.kind !== 'op' || !['<', '<=', '>', '>='].includes(t.text)) return left;
    pos++;
    const right = sum();
    const op = t.text as BinaryOperator;
    expect(left, 'number', `the left side of '${op}'`);
    expect(right, 'number', `the right side of '${op}'`);
    const next = peek();
    if (next.kind === 'op' && ['<', '<=', '>', '>='].includes(next.text)) fail(next, `comparisons do not chain: write 'a ${op} b && b ${next.text} c'`);
    return { kind: 'binary', op, left, right, start: left.start, end: right.end };
  };
  const equality = binaryLevel(['==', '!='], compare, 'same');
  const and = binaryLevel(['&&'], equality, 'boolean');
  const or = binaryLevel(['||'], and, 'boolean');

  const root = or();
  const rest = peek();
  if (rest.kind !== 'end') fail(rest, rest.kind === ')' ? "unexpected ')': no '(' to close" : `unexpected ${describe(rest)} after a complete expression`);
  const want = options.type ?? 'boolean';
  if (typeOf(root) !== want) {
    throw new ExpressionError(source, root.start + 1, want === 'boolean' ? 'the expression must be a condition (a comparison, &&, || or !), e.g. \'trades < 50\'' : 'the expression must be a number');
  }
  return { source, root, fields };
}

/** The value of a field path in data: own properties only, NaN when absent or not a number. */
export function lookupField(data: unknown, path: readonly string[]): number {
  let node: unknown = data;
  for (const segment of path) {
    if (FORBIDDEN.has(segment)) return Number.NaN;
    if (Array.isArray(node)) {
      if (!/^[0-9]+$/.test(segment)) return Number.NaN;
      const i = Number(segment);
      if (i >= node.length) return Number.NaN;
      node = node[i];
    } else if (node !== null && typeof node === 'object' && Object.prototype.hasOwnProperty.call(node, segment)) {
      node = (node as Record<string, unknown>)[segment];
    } else {
      return Number.NaN;
    }
  }
  return typeof node === 'number' ? node : Number.NaN;
}

/** The result of {@link evaluateExpression}: the value and every field it read. */
export interface Evaluation {
  readonly value: number | boolean;
  /** Field path → the value read (NaN when absent or null). */
  readonly fields: Readonly<Record<string, number>>;
}

/** Evaluates a compiled expression over data (e.g. a run summary). Never throws. */
export function evaluateExpression(expr: CompiledExpression, data: unknown): Evaluation {
  const fields: Record<string, number> = Object.create(null) as Record<string, number>;
  const num = (n: ExpressionNode): number => value(n) as number;
  const bool = (n: ExpressionNode): boolean => value(n) as boolean;
  const value = (n: ExpressionNode): number | boolean => {
    switch (n.kind) {
      case 'number':
      case 'boolean':
        return n.value;
      case 'field': {
        const v = lookupField(data, n.path);
        fields[n.text] = v;
        return v;
      }
      case 'unary':
        return n.op === '!' ? !bool(n.operand) : -num(n.operand);
      case 'binary':
        switch (n.op) {
          case '||':
            return bool(n.left) || bool(n.right);
          case '&&':
            return bool(n.left) && bool(n.right);
          case '==':
            return value(n.left) === value(n.right);
          case '!=':
            return value(n.left) !== value(n.right);
          case '<':
            return num(n.left) < num(n.right);
          case '<=':
            return num(n.left) <= num(n.right);
          case '>':
            return num(n.left) > num(n.right);
          case '>=':
            return num(n.left) >= num(n.right);
          case '+':
            return num(n.left) + num(n.right);
          case '-':
            return num(n.left) - num(n.right);
          case '*':
            return num(n.left) * num(n.right);
          case '/':
            return num(n.left) / num(n.right);
        }
    }
  };
  const v = value(expr.root);
  // Read every field, also those short-circuited away, so a report can show them all.
  for (const f of expr.fields) if (!(f in fields)) fields[f] = lookupField(data, f.split('.'));
  return { value: v, fields: { ...fields } };
}

/**
 * A {@link FieldChecker} from a sample object of the data's shape: a path is
 * valid when every segment is an own key (or a list index) of the sample and
 * it ends at a number (NaN and null leaves count as numbers; a `null`
 * sub-object may be described by `nullShapes`, keyed by dotted path).
 */
export function fieldsOf(sample: unknown, nullShapes: Readonly<Record<string, unknown>> = {}): FieldChecker {
  return (path) => {
    let node: unknown = sample;
    for (let i = 0; i < path.length; i++) {
      const segment = path[i] as string;
      const prefix = path.slice(0, i).join('.');
      if (node === null && Object.prototype.hasOwnProperty.call(nullShapes, prefix)) node = nullShapes[prefix];
      if (Array.isArray(node)) {
        if (!/^[0-9]+$/.test(segment) || Number(segment) >= node.length) {
          return { segment: i, problem: `'${prefix}' is a list: use an index 0..${node.length - 1}` };
        }
        node = node[Number(segment)];
        continue;
      }
      if (node !== null && typeof node === 'object') {
        const keys = Object.keys(node);
        if (!keys.includes(segment)) {
          const where = prefix === '' ? 'summary field' : `field of '${prefix}'`;
          return { segment: i, problem: `unknown ${where} '${segment}'${didYouMean(segment, keys)}; known: ${keys.join(', ')}` };
        }
        node = (node as Record<string, unknown>)[segment];
        continue;
      }
      return { segment: i, problem: `'${prefix}' is a number, it has no field '${segment}'` };
    }
    if (node === null && Object.prototype.hasOwnProperty.call(nullShapes, path.join('.'))) node = nullShapes[path.join('.')];
    if (node === null || typeof node === 'number') return null;
    const what = Array.isArray(node) ? 'a list' : typeof node === 'object' ? `a group of fields (${Object.keys(node).join(', ')})` : `a ${typeof node}`;
    return { segment: path.length - 1, problem: `'${path.join('.')}' is ${what}, not a number` };
  };
}
