/**
 * The parser's view of the tokens: look-ahead, keywords (BigQuery's reserved words cannot be
 * unquoted names), and syntax errors worded as BigQuery words them ("Expected X but got Y").
 */
import type { Ident } from './ast.js';
import type { BigQuerySqlError } from './errors.js';
import { invalidQuery, unsupported } from './errors.js';
import type { Token } from './tokenizer.js';

/** BigQuery's reserved keywords: written unquoted, they are never names. */
export const RESERVED = new Set(
  (
    'ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE CONTAINS CREATE CROSS ' +
    'CUBE CURRENT DEFAULT DEFINE DESC DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE EXISTS EXTRACT FALSE ' +
    'FETCH FOLLOWING FOR FROM FULL GROUP GROUPING GROUPS HASH HAVING IF IGNORE IN INNER INTERSECT INTERVAL ' +
    'INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP MERGE NATURAL NEW NO NOT NULL NULLS OF ON OR ORDER OUTER ' +
    'OVER PARTITION PRECEDING PROTO QUALIFY RANGE RECURSIVE RESPECT RIGHT ROLLUP ROWS SELECT SET SOME ' +
    'STRUCT TABLESAMPLE THEN TO TREAT TRUE UNBOUNDED UNION UNNEST USING WHEN WHERE WINDOW WITH WITHIN'
  ).split(' '),
);

/** How a token is named in a syntax error. */
export function describeToken(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'end of input';
    case 'ident':
      return RESERVED.has(token.value.toUpperCase())
        ? `keyword ${token.value.toUpperCase()}`
        : `identifier "${token.value}"`;
    case 'quoted':
      return `identifier \`${token.value}\``;
    case 'string':
      return 'string literal';
    case 'bytes':
      return 'bytes literal';
    case 'number':
      return /^\d+$|^0[xX]/.test(token.value)
        ? `integer literal "${token.value}"`
        : `floating point literal "${token.value}"`;
    case 'param':
      return `query parameter ${token.value}`;
    case 'op':
      return `"${token.value}"`;
  }
}

/** A cursor over a script's tokens, with the look-ahead and keyword tests the parsers use. */
export class TokenStream {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  /** The token `offset` places ahead (the eof token past the end). */
  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)]!;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index++;
    return token;
  }

  /** Whether the token `offset` ahead is the unquoted word `word` (any case). */
  isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'ident' && token.value.toUpperCase() === word;
  }

  /** Whether the next tokens are the words given, in order. */
  isKeywords(...words: string[]): boolean {
    return words.every((word, i) => this.isKeyword(word, i));
  }

  /** Consumes the words given if the next tokens are them. */
  acceptKeywords(...words: string[]): boolean {
    if (!this.isKeywords(...words)) return false;
    for (let i = 0; i < words.length; i++) this.next();
    return true;
  }

  expectKeyword(word: string): Token {
    if (!this.isKeyword(word)) throw this.expected(`keyword ${word}`);
    return this.next();
  }

  isOp(op: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'op' && token.value === op;
  }

  acceptOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.next();
    return true;
  }

  expectOp(op: string): Token {
    if (!this.isOp(op)) throw this.expected(`"${op}"`);
    return this.next();
  }

  /**
   * Consumes a `>` closing a type parameter list; a `>>` closing two of them becomes one `>`
   * left for the outer list.
   */
  expectCloseAngle(): void {
    const token = this.peek();
    if (token.kind === 'op' && token.value === '>>') {
      this.tokens[this.index] = { ...token, value: '>', start: token.start + 1, column: token.column + 1 };
      return;
    }
    this.expectOp('>');
  }

  /** Whether the next token can be an unquoted or backquoted name. */
  isName(offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'quoted' || (token.kind === 'ident' && !RESERVED.has(token.value.toUpperCase()));
  }

  /** A name: a backquoted one, or an unquoted word that is not reserved. */
  parseIdent(what = 'identifier'): Ident {
    const token = this.peek();
    if (!this.isName()) throw this.expected(what);
    this.next();
    return {
      name: token.value,
      quoted: token.kind === 'quoted',
      pos: { line: token.line, column: token.column },
    };
  }

  /** "Syntax error: Expected X but got Y" at the next token. */
  expected(what: string): BigQuerySqlError {
    const token = this.peek();
    return invalidQuery(`Syntax error: Expected ${what} but got ${describeToken(token)}`, token);
  }

  /** "Syntax error: Unexpected Y" at the next token. */
  unexpected(): BigQuerySqlError {
    const token = this.peek();
    return invalidQuery(`Syntax error: Unexpected ${describeToken(token)}`, token);
  }

  /** The refusal of a construct BigQuery has and the emulator does not translate, at the next token. */
  unsupported(construct: string): BigQuerySqlError {
    return unsupported(construct, this.peek());
  }
}
