/**
 * Expressions of BigQuery standard SQL, by recursive descent with BigQuery's operator
 * precedence (lowest first): OR; AND; NOT; comparisons, [NOT] LIKE/BETWEEN/IN, IS; |; ^; &;
 * << >>; + -; * / ||; unary - + ~; field access and subscripts. Also the types written in CAST
 * and column definitions (parse-type.ts).
 */
import type {
  Expr,
  FunctionCall,
  Ident,
  OrderItem,
  Pos,
  WindowFrame,
  FrameBound,
  WindowSpec,
} from './ast.js';
import { invalidQuery } from './errors.js';
import { isQueryStart, parseQuery } from './parse-query.js';
import type { TokenStream } from './token-stream.js';
import { RESERVED } from './token-stream.js';
import type { Token } from './tokenizer.js';
import { parseStructFields, parseType } from './parse-type.js';
import { canonicalScalarName } from './types.js';
import type { BigQueryType } from './types.js';

const pos = (token: Token): Pos => ({ line: token.line, column: token.column });

/** The literal types written as a type name followed by a string: `DATE '2024-01-01'`. */
const TYPED_LITERALS = new Set([
  'DATE',
  'DATETIME',
  'TIME',
  'TIMESTAMP',
  'NUMERIC',
  'BIGNUMERIC',
  'BIGDECIMAL',
  'DECIMAL',
  'JSON',
  'RANGE',
]);

/** Functions callable without parentheses. */
const NILADIC = new Set(['CURRENT_DATE', 'CURRENT_TIMESTAMP', 'CURRENT_DATETIME', 'CURRENT_TIME']);

/** Reserved words that are also function names (followed by `(`). */
const RESERVED_FUNCTIONS = new Set(['IF', 'LEFT', 'RIGHT', 'GROUPING', 'RANGE', 'COLLATE']);

/** An expression. */
export function parseExpr(ts: TokenStream): Expr {
  return parseOr(ts);
}

function parseOr(ts: TokenStream): Expr {
  let left = parseAnd(ts);
  while (ts.isKeyword('OR')) {
    const token = ts.next();
    left = { kind: 'binary', op: 'OR', left, right: parseAnd(ts), pos: pos(token) };
  }
  return left;
}

function parseAnd(ts: TokenStream): Expr {
  let left = parseNot(ts);
  while (ts.isKeyword('AND')) {
    const token = ts.next();
    left = { kind: 'binary', op: 'AND', left, right: parseNot(ts), pos: pos(token) };
  }
  return left;
}

function parseNot(ts: TokenStream): Expr {
  if (ts.isKeyword('NOT')) {
    const token = ts.next();
    return { kind: 'unary', op: 'NOT', operand: parseNot(ts), pos: pos(token) };
  }
  return parseComparison(ts);
}

const COMPARISONS = new Set(['=', '!=', '<>', '<', '>', '<=', '>=']);

function parseComparison(ts: TokenStream): Expr {
  let left = parseBitOr(ts);
  while (true) {
    const token = ts.peek();
    const at = pos(token);
    if (token.kind === 'op' && COMPARISONS.has(token.value)) {
      ts.next();
      left = {
        kind: 'binary',
        op: token.value === '!=' ? '<>' : token.value,
        left,
        right: parseBitOr(ts),
        pos: at,
      };
      continue;
    }
    if (ts.isKeyword('IS')) {
      ts.next();
      const not = ts.acceptKeywords('NOT');
      if (ts.acceptKeywords('DISTINCT', 'FROM')) {
        left = { kind: 'isDistinct', left, right: parseBitOr(ts), not, pos: at };
        continue;
      }
      const word = ts.peek();
      const value = word.kind === 'ident' ? word.value.toUpperCase() : '';
      if (value !== 'NULL' && value !== 'TRUE' && value !== 'FALSE' && value !== 'UNKNOWN')
        throw ts.expected('NULL, TRUE, FALSE or DISTINCT FROM');
      ts.next();
      left = { kind: 'is', operand: left, not, value, pos: at };
      continue;
    }
    const not =
      ts.isKeyword('NOT') && (ts.isKeyword('LIKE', 1) || ts.isKeyword('BETWEEN', 1) || ts.isKeyword('IN', 1));
    if (not) ts.next();
    if (ts.acceptKeywords('LIKE')) {
      if (ts.isKeyword('ANY') || ts.isKeyword('ALL') || ts.isKeyword('SOME'))
        throw ts.unsupported('`LIKE ANY`/`LIKE ALL`');
      left = { kind: 'like', operand: left, pattern: parseBitOr(ts), not, pos: at };
      continue;
    }
    if (ts.acceptKeywords('BETWEEN')) {
      const low = parseBitOr(ts);
      ts.expectKeyword('AND');
      left = { kind: 'between', operand: left, low, high: parseBitOr(ts), not, pos: at };
      continue;
    }
    if (ts.acceptKeywords('IN')) {
      if (ts.isKeyword('UNNEST')) {
        ts.next();
        ts.expectOp('(');
        const array = parseExpr(ts);
        ts.expectOp(')');
        left = { kind: 'inUnnest', operand: left, array, not, pos: at };
        continue;
      }
      ts.expectOp('(');
      if (isQueryStart(ts)) {
        const query = parseQuery(ts);
        ts.expectOp(')');
        left = { kind: 'inQuery', operand: left, query, not, pos: at };
        continue;
      }
      const list = [parseExpr(ts)];
      while (ts.acceptOp(',')) list.push(parseExpr(ts));
      ts.expectOp(')');
      left = { kind: 'inList', operand: left, list, not, pos: at };
      continue;
    }
    if (not) throw ts.expected('LIKE, BETWEEN or IN');
    return left;
  }
}

/** A left-associative level of binary operators. */
function binaryLevel(ops: string[], nextLevel: (ts: TokenStream) => Expr): (ts: TokenStream) => Expr {
  return (ts) => {
    let left = nextLevel(ts);
    while (ts.peek().kind === 'op' && ops.includes(ts.peek().value)) {
      const token = ts.next();
      left = { kind: 'binary', op: token.value, left, right: nextLevel(ts), pos: pos(token) };
    }
    return left;
  };
}

const parseMultiplicative = binaryLevel(['*', '/', '||'], parseUnary);
const parseAdditive = binaryLevel(['+', '-'], parseMultiplicative);
const parseShift = binaryLevel(['<<', '>>'], parseAdditive);
const parseBitAnd = binaryLevel(['&'], parseShift);
const parseBitXor = binaryLevel(['^'], parseBitAnd);
const parseBitOr = binaryLevel(['|'], parseBitXor);

function parseUnary(ts: TokenStream): Expr {
  const token = ts.peek();
  if (token.kind === 'op' && (token.value === '-' || token.value === '+' || token.value === '~')) {
    ts.next();
    return { kind: 'unary', op: token.value, operand: parseUnary(ts), pos: pos(token) };
  }
  return parsePostfix(ts);
}

function parsePostfix(ts: TokenStream): Expr {
  let expr = parsePrimary(ts);
  while (true) {
    if (ts.isOp('.')) {
      const dot = ts.next();
      if (ts.isOp('*')) throw invalidQuery('Syntax error: Unexpected "*"', ts.peek());
      const token = ts.peek();
      // After a dot any word is a field name, reserved or not.
      if (token.kind !== 'ident' && token.kind !== 'quoted') throw ts.expected('identifier');
      ts.next();
      const name: Ident = { name: token.value, quoted: token.kind === 'quoted', pos: pos(token) };
      if (expr.kind === 'path') expr = { ...expr, parts: [...expr.parts, name] };
      else expr = { kind: 'field', base: expr, name, pos: pos(dot) };
      if (ts.isOp('(') && expr.kind === 'path') {
        const dotted = expr.parts.map((part) => part.name.toUpperCase()).join('.');
        if (dotted.startsWith('SAFE.') && expr.parts.length === 2) {
          expr = parseCall(ts, expr.parts[1]!.name.toUpperCase(), true, expr.pos, expr.parts[1]!.name);
        } else {
          expr = parseCall(ts, dotted, false, expr.pos, expr.parts.map((part) => part.name).join('.'));
        }
      }
      continue;
    }
    if (ts.isOp('[')) {
      const open = ts.next();
      let mode: 'OFFSET' | 'SAFE_OFFSET' | 'ORDINAL' | 'SAFE_ORDINAL' | 'PLAIN' = 'PLAIN';
      let index: Expr;
      const word = ts.peek().kind === 'ident' ? ts.peek().value.toUpperCase() : '';
      if (['OFFSET', 'SAFE_OFFSET', 'ORDINAL', 'SAFE_ORDINAL'].includes(word) && ts.isOp('(', 1)) {
        mode = word as typeof mode;
        ts.next();
        ts.next();
        index = parseExpr(ts);
        ts.expectOp(')');
      } else {
        index = parseExpr(ts);
      }
      ts.expectOp(']');
      expr = { kind: 'subscript', base: expr, index, mode, pos: pos(open) };
      continue;
    }
    return expr;
  }
}

function parsePrimary(ts: TokenStream): Expr {
  const token = ts.peek();
  const at = pos(token);
  switch (token.kind) {
    case 'number':
      ts.next();
      return { kind: 'number', text: token.value, pos: at };
    case 'string':
      ts.next();
      return { kind: 'string', value: token.value, pos: at };
    case 'bytes':
      ts.next();
      return { kind: 'bytes', value: token.bytes ?? new Uint8Array(), pos: at };
    case 'param':
      throw ts.unsupported('query parameters');
    case 'quoted':
      ts.next();
      return { kind: 'path', parts: [{ name: token.value, quoted: true, pos: at }], pos: at };
    case 'eof':
      throw ts.unexpected();
    case 'op':
      return parseOpPrimary(ts, token);
    case 'ident':
      return parseWordPrimary(ts, token);
  }
}

function parseOpPrimary(ts: TokenStream, token: Token): Expr {
  const at = pos(token);
  if (token.value === '(') {
    ts.next();
    if (isQueryStart(ts)) {
      const query = parseQuery(ts);
      ts.expectOp(')');
      return { kind: 'subquery', query, pos: at };
    }
    const first = parseExpr(ts);
    if (ts.acceptOp(',')) {
      const items = [first, parseExpr(ts)];
      while (ts.acceptOp(',')) items.push(parseExpr(ts));
      ts.expectOp(')');
      return { kind: 'tuple', items, pos: at };
    }
    ts.expectOp(')');
    return { kind: 'paren', expr: first, pos: at };
  }
  if (token.value === '[') {
    ts.next();
    return { kind: 'array', items: parseArrayItems(ts), pos: at };
  }
  if (token.value === '@@') throw ts.unsupported('system variables (`@@…`)');
  throw ts.unexpected();
}

/** The items of `[a, b, …]` after the opening bracket, through the closing one. */
function parseArrayItems(ts: TokenStream): Expr[] {
  const items: Expr[] = [];
  if (!ts.isOp(']')) {
    items.push(parseExpr(ts));
    while (ts.acceptOp(',')) items.push(parseExpr(ts));
  }
  ts.expectOp(']');
  return items;
}

function parseWordPrimary(ts: TokenStream, token: Token): Expr {
  const at = pos(token);
  const word = token.value.toUpperCase();
  const next = ts.peek(1);
  switch (word) {
    case 'NULL':
      ts.next();
      return { kind: 'null', pos: at };
    case 'TRUE':
    case 'FALSE':
      ts.next();
      return { kind: 'bool', value: word === 'TRUE', pos: at };
    case 'CASE':
      return parseCase(ts);
    case 'CAST':
    case 'SAFE_CAST':
      return parseCast(ts, word === 'SAFE_CAST');
    case 'EXTRACT':
      return parseExtract(ts);
    case 'EXISTS': {
      ts.next();
      ts.expectOp('(');
      const query = parseQuery(ts);
      ts.expectOp(')');
      return { kind: 'exists', query, pos: at };
    }
    case 'INTERVAL': {
      ts.next();
      const value = parseExpr(ts);
      const part = ts.peek();
      if (part.kind !== 'ident') throw ts.expected('a date or time part (DAY, HOUR…)');
      ts.next();
      if (ts.isKeyword('TO')) throw ts.unsupported('`INTERVAL … TO …` ranges');
      return {
        kind: 'interval',
        value,
        part: { name: part.value.toUpperCase(), quoted: false, pos: pos(part) },
        pos: at,
      };
    }
    case 'ARRAY':
      return parseArrayConstructor(ts);
    case 'STRUCT':
      return parseStructConstructor(ts);
    case 'WITH':
      throw ts.unsupported('`WITH` expressions');
  }
  if (TYPED_LITERALS.has(word) && next.kind === 'string') {
    ts.next();
    ts.next();
    if (word === 'RANGE') throw invalidQuery("Windhover's emulator does not support RANGE values", at);
    const type = canonicalScalarName(word) ?? word;
    return { kind: 'typedLiteral', type, value: next.value, pos: at };
  }
  if (next.kind === 'op' && next.value === '(' && (!RESERVED.has(word) || RESERVED_FUNCTIONS.has(word))) {
    ts.next();
    return parseCall(ts, word, false, at, token.value);
  }
  if (NILADIC.has(word)) {
    ts.next();
    return { kind: 'call', name: word, safe: false, args: [], distinct: false, pos: at };
  }
  if (RESERVED.has(word)) throw ts.unexpected();
  ts.next();
  return { kind: 'path', parts: [{ name: token.value, quoted: false, pos: at }], pos: at };
}

function parseCase(ts: TokenStream): Expr {
  const at = pos(ts.next());
  const operand = ts.isKeyword('WHEN') ? undefined : parseExpr(ts);
  const whens: { when: Expr; then: Expr }[] = [];
  while (ts.acceptKeywords('WHEN')) {
    const when = parseExpr(ts);
    ts.expectKeyword('THEN');
    whens.push({ when, then: parseExpr(ts) });
  }
  if (whens.length === 0) throw ts.expected('keyword WHEN');
  const otherwise = ts.acceptKeywords('ELSE') ? parseExpr(ts) : undefined;
  ts.expectKeyword('END');
  return {
    kind: 'case',
    ...(operand ? { operand } : {}),
    whens,
    ...(otherwise ? { else: otherwise } : {}),
    pos: at,
  };
}

function parseCast(ts: TokenStream, safe: boolean): Expr {
  const at = pos(ts.next());
  ts.expectOp('(');
  const expr = parseExpr(ts);
  ts.expectKeyword('AS');
  const type = parseType(ts);
  if (ts.isKeyword('FORMAT')) throw ts.unsupported('`CAST … FORMAT`');
  ts.expectOp(')');
  return { kind: 'cast', safe, expr, type, pos: at };
}

function parseExtract(ts: TokenStream): Expr {
  const at = pos(ts.next());
  ts.expectOp('(');
  const partToken = ts.peek();
  if (partToken.kind !== 'ident') throw ts.expected('a date or time part');
  ts.next();
  let part: Expr = {
    kind: 'path',
    parts: [{ name: partToken.value, quoted: false, pos: pos(partToken) }],
    pos: pos(partToken),
  };
  if (ts.acceptOp('(')) {
    const weekday = ts.parseIdent('a weekday');
    ts.expectOp(')');
    part = {
      kind: 'call',
      name: partToken.value.toUpperCase(),
      safe: false,
      args: [{ kind: 'path', parts: [weekday], pos: weekday.pos }],
      distinct: false,
      pos: pos(partToken),
    };
  }
  ts.expectKeyword('FROM');
  const expr = parseExpr(ts);
  let timeZone: Expr | undefined;
  if (ts.acceptKeywords('AT', 'TIME', 'ZONE')) timeZone = parseExpr(ts);
  ts.expectOp(')');
  return { kind: 'extract', part, expr, ...(timeZone ? { timeZone } : {}), pos: at };
}

function parseArrayConstructor(ts: TokenStream): Expr {
  const at = pos(ts.next());
  if (ts.isOp('<')) {
    ts.next();
    const elementType = parseType(ts);
    ts.expectCloseAngle();
    ts.expectOp('[');
    return { kind: 'array', elementType, items: parseArrayItems(ts), pos: at };
  }
  if (ts.acceptOp('[')) return { kind: 'array', items: parseArrayItems(ts), pos: at };
  ts.expectOp('(');
  const query = parseQuery(ts);
  ts.expectOp(')');
  return { kind: 'arraySubquery', query, pos: at };
}

function parseStructConstructor(ts: TokenStream): Expr {
  const at = pos(ts.next());
  let type: BigQueryType | undefined;
  if (ts.isOp('<')) {
    ts.next();
    type = parseStructFields(ts);
  }
  ts.expectOp('(');
  const items: { expr: Expr; alias?: Ident }[] = [];
  if (!ts.isOp(')')) {
    do {
      const expr = parseExpr(ts);
      const alias = ts.acceptKeywords('AS') ? ts.parseIdent('a field name') : undefined;
      items.push({ expr, ...(alias ? { alias } : {}) });
    } while (ts.acceptOp(','));
  }
  ts.expectOp(')');
  return { kind: 'struct', ...(type ? { type } : {}), items, pos: at };
}

/** A function call, from its opening parenthesis: arguments, aggregate modifiers and OVER. */
export function parseCall(
  ts: TokenStream,
  name: string,
  safe: boolean,
  at: Pos,
  written = name,
): FunctionCall {
  ts.expectOp('(');
  const call: FunctionCall = { kind: 'call', name, written, safe, args: [], distinct: false, pos: at };
  if (ts.acceptKeywords('DISTINCT')) call.distinct = true;
  if (ts.isOp('*') && ts.isOp(')', 1)) {
    const star = ts.next();
    call.args.push({ kind: 'star', pos: pos(star) });
  } else if (!ts.isOp(')')) {
    do {
      if (ts.isName() && ts.isOp('=>', 1)) throw ts.unsupported('named function arguments (`=>`)');
      if (isQueryStart(ts)) throw ts.unsupported('a query as a function argument');
      call.args.push(parseExpr(ts));
    } while (ts.acceptOp(','));
  }
  if (ts.acceptKeywords('IGNORE', 'NULLS')) call.nulls = 'IGNORE';
  else if (ts.acceptKeywords('RESPECT', 'NULLS')) call.nulls = 'RESPECT';
  if (ts.isKeyword('HAVING')) throw ts.unsupported('`HAVING MAX`/`HAVING MIN` in aggregates');
  if (ts.acceptKeywords('ORDER', 'BY')) call.orderBy = parseOrderItems(ts);
  if (ts.acceptKeywords('LIMIT')) call.limit = parseExpr(ts);
  ts.expectOp(')');
  if (ts.acceptKeywords('OVER')) call.over = parseWindowRef(ts);
  return call;
}

/** `ORDER BY` items (after the keywords). */
export function parseOrderItems(ts: TokenStream): OrderItem[] {
  const items: OrderItem[] = [];
  do {
    const expr = parseExpr(ts);
    if (ts.isKeyword('COLLATE')) throw ts.unsupported('`COLLATE`');
    const desc = ts.acceptKeywords('DESC') ? true : (ts.acceptKeywords('ASC'), false);
    let nulls: 'FIRST' | 'LAST' | undefined;
    if (ts.acceptKeywords('NULLS', 'FIRST')) nulls = 'FIRST';
    else if (ts.acceptKeywords('NULLS', 'LAST')) nulls = 'LAST';
    items.push({ expr, desc, ...(nulls ? { nulls } : {}) });
  } while (ts.acceptOp(','));
  return items;
}

/** What follows OVER: a window name or a parenthesized specification. */
function parseWindowRef(ts: TokenStream): WindowSpec {
  const at = pos(ts.peek());
  if (!ts.isOp('(')) {
    const base = ts.parseIdent('a window name or "("');
    return { base, partitionBy: [], orderBy: [], pos: at };
  }
  return parseWindowSpec(ts);
}

/** A parenthesized window specification. */
export function parseWindowSpec(ts: TokenStream): WindowSpec {
  const at = pos(ts.expectOp('('));
  const spec: WindowSpec = { partitionBy: [], orderBy: [], pos: at };
  if (ts.isName() && !ts.isKeyword('ROWS') && !ts.isKeyword('RANGE')) spec.base = ts.parseIdent();
  if (ts.acceptKeywords('PARTITION', 'BY')) {
    do spec.partitionBy.push(parseExpr(ts));
    while (ts.acceptOp(','));
  }
  if (ts.acceptKeywords('ORDER', 'BY')) spec.orderBy = parseOrderItems(ts);
  if (ts.isKeyword('ROWS') || ts.isKeyword('RANGE')) spec.frame = parseFrame(ts);
  ts.expectOp(')');
  return spec;
}

function parseFrame(ts: TokenStream): WindowFrame {
  const unit = ts.next().value.toUpperCase() as 'ROWS' | 'RANGE';
  if (ts.acceptKeywords('BETWEEN')) {
    const start = parseFrameBound(ts);
    ts.expectKeyword('AND');
    return { unit, start, end: parseFrameBound(ts) };
  }
  return { unit, start: parseFrameBound(ts) };
}

function parseFrameBound(ts: TokenStream): FrameBound {
  if (ts.acceptKeywords('UNBOUNDED', 'PRECEDING')) return { kind: 'UNBOUNDED PRECEDING' };
  if (ts.acceptKeywords('UNBOUNDED', 'FOLLOWING')) return { kind: 'UNBOUNDED FOLLOWING' };
  if (ts.acceptKeywords('CURRENT', 'ROW')) return { kind: 'CURRENT ROW' };
  const offset = parseAdditive(ts);
  if (ts.acceptKeywords('PRECEDING')) return { kind: 'PRECEDING', offset };
  if (ts.acceptKeywords('FOLLOWING')) return { kind: 'FOLLOWING', offset };
  throw ts.expected('PRECEDING or FOLLOWING');
}
