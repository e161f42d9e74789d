/**
 * BigQuery's lexical rules: unquoted and backquoted identifiers, string and bytes literals in
 * their quoted, triple-quoted and raw forms (with BigQuery's escapes), numbers, operators,
 * query parameters, and the three kinds of comments (`--`, `#`, `/* … *\/`), skipped. Every token
 * keeps its 1-based line and column and its offsets in the source, so errors point at it and
 * the parser can tell adjacent tokens (`my-project.dataset` written without backquotes).
 */
import { invalidQuery } from './errors.js';
import type { SqlPosition } from './errors.js';

export type TokenKind = 'ident' | 'quoted' | 'string' | 'bytes' | 'number' | 'op' | 'param' | 'eof';

/** One token. `value` is the decoded text of strings and backquoted names, the raw text otherwise. */
export interface Token extends SqlPosition {
  kind: TokenKind;
  value: string;
  /** The bytes of a bytes literal. */
  bytes?: Uint8Array;
  /** Where the token starts and ends in the source (UTF-16 offsets). */
  start: number;
  end: number;
}

const OPERATORS = ['<=', '>=', '<>', '!=', '||', '<<', '>>', '=>', '@@'];
const SINGLE_OPERATORS = new Set('()[],.;+-*/=<>&|^~:{}'.split(''));

function isIdentStart(ch: string): boolean {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch === '_';
}

function isDigit(ch: string): boolean {
  return ch >= '0' && ch <= '9';
}

function isIdentPart(ch: string): boolean {
  return isIdentStart(ch) || isDigit(ch);
}

const SIMPLE_ESCAPES: Record<string, number> = {
  a: 7,
  b: 8,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
  '?': 63,
  '"': 34,
  "'": 39,
  '`': 96,
};

/** Splits BigQuery SQL into tokens, ending with one `eof` token. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const positionAt = (offset: number): SqlPosition => {
    // Lines are counted as the scanner passes newlines; `offset` is on the current line or later.
    let l = line;
    let ls = lineStart;
    for (let k = lineStart; k < offset; k++) {
      if (sql[k] === '\n') {
        l++;
        ls = k + 1;
      }
    }
    return { line: l, column: offset - ls + 1 };
  };
  const advanceTo = (offset: number) => {
    for (let k = i; k < offset; k++) {
      if (sql[k] === '\n') {
        line++;
        lineStart = k + 1;
      }
    }
    i = offset;
  };
  const push = (kind: TokenKind, start: number, end: number, value: string, bytes?: Uint8Array) => {
    const pos = positionAt(start);
    tokens.push({ kind, value, start, end, line: pos.line, column: pos.column, ...(bytes ? { bytes } : {}) });
    advanceTo(end);
  };

  while (i < sql.length) {
    const ch = sql[i]!;
    const next = sql[i + 1] ?? '';
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n' || ch === '\f' || ch === '\v') {
      advanceTo(i + 1);
      continue;
    }
    if ((ch === '-' && next === '-') || ch === '#') {
      let end = sql.indexOf('\n', i);
      if (end < 0) end = sql.length;
      advanceTo(end);
      continue;
    }
    if (ch === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) throw invalidQuery('Syntax error: Unclosed comment', positionAt(i));
      advanceTo(end + 2);
      continue;
    }
    // String and bytes literals, with their optional r/b prefixes (any case, either order).
    const prefix = /^(?:[rR][bB]?|[bB][rR]?)?(?=['"])/.exec(sql.slice(i, i + 3));
    if (prefix && (prefix[0].length > 0 || ch === "'" || ch === '"')) {
      const flags = prefix[0].toLowerCase();
      const literal = readQuoted(
        sql,
        i + prefix[0].length,
        flags.includes('r'),
        flags.includes('b'),
        positionAt,
      );
      if (flags.includes('b')) push('bytes', i, literal.end, '', literal.bytes);
      else push('string', i, literal.end, literal.text);
      continue;
    }
    if (isIdentStart(ch)) {
      let end = i + 1;
      while (end < sql.length && isIdentPart(sql[end]!)) end++;
      push('ident', i, end, sql.slice(i, end));
      continue;
    }
    if (ch === '`') {
      const literal = readQuoted(sql, i, false, false, positionAt);
      if (literal.text.length === 0)
        throw invalidQuery('Syntax error: Invalid empty identifier', positionAt(i));
      push('quoted', i, literal.end, literal.text);
      continue;
    }
    const previous = tokens[tokens.length - 1];
    const afterName =
      previous !== undefined &&
      previous.end === i &&
      (previous.kind === 'ident' ||
        previous.kind === 'quoted' ||
        previous.value === ')' ||
        previous.value === ']');
    if (isDigit(ch) || (ch === '.' && isDigit(next) && !afterName)) {
      const number = /^(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(sql.slice(i))!;
      const end = i + number[0].length;
      const inDashedName = previous !== undefined && previous.value === '-' && previous.end === i;
      if (inDashedName && /^\d+\.$/.test(number[0]) && end < sql.length && isIdentStart(sql[end]!)) {
        // `my-project-1.dataset`: the digits end a dashed project name; the dot separates names.
        push('number', i, end - 1, number[0].slice(0, -1));
        continue;
      }
      if (end < sql.length && isIdentStart(sql[end]!) && !/^0[xX]/.test(number[0])) {
        // `1abc`: BigQuery reads a name that starts with digits only after a dot (`dataset.1table`).
        if (!(previous && previous.value === '.' && previous.end === i))
          throw invalidQuery(`Syntax error: Missing whitespace between literal and alias`, positionAt(end));
        let identEnd = end;
        while (identEnd < sql.length && isIdentPart(sql[identEnd]!)) identEnd++;
        push('ident', i, identEnd, sql.slice(i, identEnd));
        continue;
      }
      push('number', i, end, number[0]);
      continue;
    }
    if (ch === '@' && next !== '@') {
      let end = i + 1;
      while (end < sql.length && isIdentPart(sql[end]!)) end++;
      push('param', i, end, sql.slice(i, end));
      continue;
    }
    if (ch === '?') {
      push('param', i, i + 1, '?');
      continue;
    }
    const two = sql.slice(i, i + 2);
    if (OPERATORS.includes(two)) {
      push('op', i, i + 2, two);
      continue;
    }
    if (SINGLE_OPERATORS.has(ch)) {
      push('op', i, i + 1, ch);
      continue;
    }
    throw invalidQuery(`Syntax error: Illegal input character "${ch}"`, positionAt(i));
  }
  const pos = positionAt(sql.length);
  tokens.push({
    kind: 'eof',
    value: '',
    start: sql.length,
    end: sql.length,
    line: pos.line,
    column: pos.column,
  });
  return tokens;
}

interface QuotedLiteral {
  text: string;
  bytes: Uint8Array;
  end: number;
}

/** Reads a quoted literal or backquoted name starting at its opening quote, decoding escapes unless raw. */
function readQuoted(
  sql: string,
  open: number,
  raw: boolean,
  isBytes: boolean,
  positionAt: (offset: number) => SqlPosition,
): QuotedLiteral {
  const quote = sql[open]!;
  const triple = quote !== '`' && sql.startsWith(quote.repeat(3), open);
  const delimiter = triple ? quote.repeat(3) : quote;
  const out: number[] = [];
  const pushText = (text: string) => {
    for (const byte of Buffer.from(text, 'utf8')) out.push(byte);
  };
  let i = open + delimiter.length;
  while (true) {
    if (i >= sql.length) {
      const what = quote === '`' ? 'identifier' : isBytes ? 'bytes literal' : 'string literal';
      throw invalidQuery(`Syntax error: Unclosed ${what}`, positionAt(open));
    }
    if (sql.startsWith(delimiter, i)) break;
    const ch = sql[i]!;
    if (!triple && (ch === '\n' || ch === '\r') && quote !== '`') {
      throw invalidQuery('Syntax error: Unclosed string literal', positionAt(open));
    }
    if (ch !== '\\') {
      const code = sql.codePointAt(i)!;
      const char = String.fromCodePoint(code);
      pushText(char);
      i += char.length;
      continue;
    }
    const escaped = sql[i + 1];
    if (escaped === undefined) continue; // the unclosed-literal error above reports it
    if (raw) {
      // Raw literals keep the backslash; it still stops the next quote from closing the literal.
      pushText('\\' + escaped);
      i += 2;
      continue;
    }
    const simple = SIMPLE_ESCAPES[escaped];
    if (simple !== undefined) {
      out.push(simple);
      i += 2;
      continue;
    }
    const at = positionAt(i);
    if (escaped === 'x' || escaped === 'X') {
      const hex = /^[0-9a-fA-F]{2}/.exec(sql.slice(i + 2));
      if (!hex)
        throw invalidQuery('Syntax error: Illegal escape sequence: \\x must be followed by 2 hex digits', at);
      const value = parseInt(hex[0], 16);
      if (isBytes) out.push(value);
      else pushText(String.fromCodePoint(value));
      i += 4;
      continue;
    }
    if (/[0-7]/.test(escaped)) {
      const octal = /^[0-7]{3}/.exec(sql.slice(i + 1));
      if (!octal)
        throw invalidQuery('Syntax error: Illegal escape sequence: octal escapes take 3 digits', at);
      const value = parseInt(octal[0], 8);
      if (isBytes) out.push(value & 0xff);
      else pushText(String.fromCodePoint(value));
      i += 4;
      continue;
    }
    if (escaped === 'u' || escaped === 'U') {
      const digits = escaped === 'u' ? 4 : 8;
      const hex = new RegExp(`^[0-9a-fA-F]{${digits}}`).exec(sql.slice(i + 2));
      if (!hex || isBytes) throw invalidQuery(`Syntax error: Illegal escape sequence: \\${escaped}`, at);
      pushText(String.fromCodePoint(parseInt(hex[0], 16)));
      i += 2 + digits;
      continue;
    }
    throw invalidQuery(`Syntax error: Illegal escape sequence: \\${escaped}`, at);
  }
  const bytes = Uint8Array.from(out);
  return { text: Buffer.from(bytes).toString('utf8'), bytes, end: i + delimiter.length };
}
