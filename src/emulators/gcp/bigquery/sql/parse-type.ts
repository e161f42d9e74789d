/**
 * Types as written in CAST, column definitions and typed constructors: scalar names with their
 * aliases (`INT`, `BOOLEAN`…), `NUMERIC(P, S)`/`STRING(L)` parameters, `ARRAY<T>` and
 * `STRUCT<name T, …>` (a `>>` closing two of them).
 */
import { invalidQuery } from './errors.js';
import type { TokenStream } from './token-stream.js';
import { canonicalScalarName } from './types.js';
import type { BigQueryType } from './types.js';

/** A type: `INT64`, `NUMERIC(10, 2)`, `ARRAY<STRING>`, `STRUCT<a INT64, b STRING>`. */
export function parseType(ts: TokenStream): BigQueryType {
  const token = ts.peek();
  if (token.kind !== 'ident') throw ts.expected('a type name');
  const word = token.value.toUpperCase();
  ts.next();
  if (word === 'ARRAY') {
    ts.expectOp('<');
    const element = parseType(ts);
    ts.expectCloseAngle();
    return { kind: 'array', element };
  }
  if (word === 'STRUCT') {
    ts.expectOp('<');
    return parseStructFields(ts);
  }
  const name = canonicalScalarName(word);
  if (name === undefined) {
    if (word === 'RANGE') throw invalidQuery("Windhover's emulator does not support the type RANGE", token);
    throw invalidQuery(`Type not found: ${token.value}`, token);
  }
  const type: BigQueryType = { kind: 'scalar', name };
  if (ts.isOp('(') && ['NUMERIC', 'BIGNUMERIC', 'STRING', 'BYTES'].includes(name)) {
    ts.next();
    const params: number[] = [];
    do {
      const number = ts.peek();
      if (number.kind !== 'number' || !/^\d+$/.test(number.value)) throw ts.expected('an integer');
      ts.next();
      params.push(Number(number.value));
    } while (ts.acceptOp(','));
    ts.expectOp(')');
    type.params = params;
  }
  return type;
}

/** The fields of `STRUCT<…>` after the `<`, through the closing `>`. */
export function parseStructFields(ts: TokenStream): BigQueryType {
  const fields: { name?: string; type: BigQueryType }[] = [];
  if (!ts.isOp('>')) {
    do {
      // `name TYPE` or just `TYPE`: a name is followed by a type, a type by `,` or `>`.
      const named =
        (ts.isName() || ts.peek().kind === 'ident') &&
        !ts.isOp(',', 1) &&
        !ts.isOp('>', 1) &&
        !ts.isOp('>>', 1) &&
        !ts.isOp('<', 1) &&
        !ts.isOp('(', 1);
      const name = named ? ts.next().value : undefined;
      const type = parseType(ts);
      if (ts.acceptKeywords('NOT', 'NULL')) {
        // Accepted: BigQuery allows it in table schemas; the emulator does not enforce it inside structs.
      }
      if (ts.isKeyword('OPTIONS')) {
        ts.next();
        skipParenthesized(ts);
      }
      fields.push({ ...(name !== undefined ? { name } : {}), type });
    } while (ts.acceptOp(','));
  }
  ts.expectCloseAngle();
  return { kind: 'struct', fields };
}

/** Skips a parenthesized group (balanced), from its `(`. */
function skipParenthesized(ts: TokenStream): void {
  ts.expectOp('(');
  let depth = 1;
  while (depth > 0) {
    const token = ts.next();
    if (token.kind === 'eof') throw ts.expected('")"');
    if (token.kind === 'op' && token.value === '(') depth++;
    if (token.kind === 'op' && token.value === ')') depth--;
  }
}
