/**
 * Expressions, emitted as DuckDB SQL with BigQuery's meaning: double-quoted strings are string
 * literals, integer literals are INT64 (BIGINT, so arithmetic does not overflow at 32 bits),
 * `^` is XOR, `/` by zero is an error, LIKE escapes with a backslash, CAST to STRING writes
 * numbers as BigQuery does (`1`, not `1.0`), CAST of FLOAT64 to INT64 rounds half away from zero,
 * array subscripts count from 0 (OFFSET) or 1 (ORDINAL). Every sub-expression is parenthesized,
 * so BigQuery's precedence survives whatever DuckDB's is.
 */
import type { Expr, Ident, OrderItem, Pos, WindowFrame, WindowSpec } from './ast.js';
import { invalidQuery, unsupported } from './errors.js';
import { emitCall } from './emit-functions.js';
import { emitQuery } from './emit-query.js';
import type { TranslateContext } from './translate.js';
import { duckdbType, quoteIdent } from './types.js';
import type { BigQueryType } from './types.js';

/** What an expression or query is emitted within: the table resolver and the names in scope. */
export interface EmitScope {
  ctx: TranslateContext;
  /** The WITH names visible, in lower case (BigQuery compares them without case), innermost last. */
  ctes: Set<string>[];
  /** The range variables (FROM aliases) of the enclosing SELECTs, in lower case, innermost last. */
  aliases: Set<string>[];
}

/** A DuckDB string literal. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const INT64_MAX = 9223372036854775807n;

/** An integer literal (decimal or 0x hex) as DuckDB BIGINT text, or undefined if `text` is not one. */
export function integerLiteral(text: string, at: Pos): string | undefined {
  if (!/^(?:\d+|0[xX][0-9a-fA-F]+)$/.test(text)) return undefined;
  const value = BigInt(text);
  if (value > INT64_MAX + 1n) throw invalidQuery(`Invalid integer literal: ${text}`, at);
  return value.toString();
}

/** The non-negative integer a literal expression is, if it is one (for subscripts and positions). */
export function literalInteger(expr: Expr): number | undefined {
  if (expr.kind === 'number' && /^\d+$/.test(expr.text)) return Number(expr.text);
  return undefined;
}

/** The upper-case name of a date part written as a bare word (`DAY`), or `WEEK(MONDAY)`. */
export function datePartName(expr: Expr): string | undefined {
  if (expr.kind === 'path' && expr.parts.length === 1 && !expr.parts[0]!.quoted)
    return expr.parts[0]!.name.toUpperCase();
  if (expr.kind === 'call' && expr.name === 'WEEK' && expr.args.length === 1) {
    const day = datePartName(expr.args[0]!);
    if (day !== undefined) return `WEEK(${day})`;
  }
  return undefined;
}

/** An expression as DuckDB SQL. */
export function emitExpr(expr: Expr, scope: EmitScope): string {
  const e = (sub: Expr) => emitExpr(sub, scope);
  switch (expr.kind) {
    case 'string':
      return sqlString(expr.value);
    case 'bytes':
      return expr.value.length === 0
        ? `CAST('' AS BLOB)`
        : `from_hex('${Buffer.from(expr.value).toString('hex')}')`;
    case 'number': {
      const integer = integerLiteral(expr.text, expr.pos);
      if (integer !== undefined) return `CAST(${integer} AS BIGINT)`;
      return `CAST(${expr.text} AS DOUBLE)`;
    }
    case 'bool':
      return expr.value ? 'TRUE' : 'FALSE';
    case 'null':
      return 'NULL';
    case 'typedLiteral':
      return emitTypedLiteral(expr.type, expr.value, expr.pos);
    case 'interval':
      return emitInterval(expr.value, expr.part, scope);
    case 'path':
      return expr.parts.map((part) => quoteIdent(part.name)).join('.');
    case 'unary':
      return `(${expr.op === 'NOT' ? 'NOT ' : expr.op}${e(expr.operand)})`;
    case 'binary':
      return emitBinary(expr.op, expr.left, expr.right, scope);
    case 'is':
      return `(${e(expr.operand)} IS ${expr.not ? 'NOT ' : ''}${expr.value === 'UNKNOWN' ? 'NULL' : expr.value})`;
    case 'isDistinct':
      return `(${e(expr.left)} IS ${expr.not ? 'NOT ' : ''}DISTINCT FROM ${e(expr.right)})`;
    case 'like':
      return `(${e(expr.operand)} ${expr.not ? 'NOT ' : ''}LIKE ${e(expr.pattern)} ESCAPE '\\')`;
    case 'between':
      return `(${e(expr.operand)} ${expr.not ? 'NOT ' : ''}BETWEEN ${e(expr.low)} AND ${e(expr.high)})`;
    case 'inList':
      return `(${e(expr.operand)} ${expr.not ? 'NOT ' : ''}IN (${expr.list.map(e).join(', ')}))`;
    case 'inQuery':
      return `(${e(expr.operand)} ${expr.not ? 'NOT ' : ''}IN (${emitQuery(expr.query, scope)}))`;
    case 'inUnnest':
      return `(${e(expr.operand)} ${expr.not ? 'NOT ' : ''}IN (SELECT unnest(${e(expr.array)})))`;
    case 'exists':
      return `(EXISTS (${emitQuery(expr.query, scope)}))`;
    case 'subquery':
      return `(${emitQuery(expr.query, scope)})`;
    case 'arraySubquery':
      return `ARRAY(${emitQuery(expr.query, scope)})`;
    case 'array': {
      const list = `[${expr.items.map(e).join(', ')}]`;
      return expr.elementType ? `CAST(${list} AS ${duckdbType(expr.elementType)}[])` : list;
    }
    case 'struct':
      return emitStruct(expr.items, expr.type, scope);
    case 'tuple':
      return `(${expr.items.map(e).join(', ')})`;
    case 'paren':
      return `(${e(expr.expr)})`;
    case 'case': {
      const whens = expr.whens.map((w) => ` WHEN ${e(w.when)} THEN ${e(w.then)}`).join('');
      const otherwise = expr.else ? ` ELSE ${e(expr.else)}` : '';
      return `(CASE${expr.operand ? ` ${e(expr.operand)}` : ''}${whens}${otherwise} END)`;
    }
    case 'cast':
      return emitCast(e(expr.expr), expr.type, expr.safe);
    case 'extract':
      return emitExtractExpr(expr.part, expr.expr, expr.timeZone, scope);
    case 'call':
      return emitCall(expr, scope);
    case 'subscript':
      return emitSubscript(expr.base, expr.index, expr.mode, scope);
    case 'field':
      return `struct_extract(${e(expr.base)}, ${sqlString(expr.name.name)})`;
    case 'star':
      throw invalidQuery('Syntax error: Unexpected "*"', expr.pos);
  }
}

function emitTypedLiteral(type: string, value: string, at: Pos): string {
  switch (type) {
    case 'DATE':
      return `CAST(${sqlString(value)} AS DATE)`;
    case 'DATETIME':
      return `CAST(${sqlString(value)} AS TIMESTAMP)`;
    case 'TIMESTAMP':
      return `CAST(${sqlString(value)} AS TIMESTAMPTZ)`;
    case 'TIME':
      return `CAST(${sqlString(value)} AS TIME)`;
    case 'NUMERIC':
    case 'BIGNUMERIC':
      return `CAST(${sqlString(value)} AS DECIMAL(38, 9))`;
    case 'JSON':
      return `CAST(${sqlString(value)} AS JSON)`;
  }
  throw unsupported(`${type} literals`, at);
}

/** The parts INTERVAL takes, as DuckDB interval units and the factor applied to the count. */
const INTERVAL_UNITS: Record<string, [string, number]> = {
  YEAR: ['YEAR', 1],
  QUARTER: ['MONTH', 3],
  MONTH: ['MONTH', 1],
  WEEK: ['DAY', 7],
  DAY: ['DAY', 1],
  HOUR: ['HOUR', 1],
  MINUTE: ['MINUTE', 1],
  SECOND: ['SECOND', 1],
  MILLISECOND: ['MILLISECOND', 1],
  MICROSECOND: ['MICROSECOND', 1],
};

/** `INTERVAL n PART` as a DuckDB interval. */
export function emitInterval(value: Expr, part: Ident, scope: EmitScope): string {
  const unit = INTERVAL_UNITS[part.name.toUpperCase()];
  if (unit === undefined)
    throw invalidQuery(`A valid date part name is required but found ${part.name}`, part.pos);
  const count = emitExpr(value, scope);
  const scaled = unit[1] === 1 ? count : `(${unit[1]} * ${count})`;
  return `(INTERVAL (${scaled}) ${unit[0]})`;
}

/** An integer literal operand of + or - written plain, so that DATE ± n binds (DuckDB has DATE ± INTEGER, not BIGINT). */
function plainIntegerOperand(expr: Expr, other: Expr, scope: EmitScope): string {
  if (expr.kind === 'number' && other.kind !== 'number') {
    const integer = integerLiteral(expr.text, expr.pos);
    if (integer !== undefined && BigInt(integer) <= 2147483647n) return integer;
  }
  return emitExpr(expr, scope);
}

function emitBinary(op: string, left: Expr, right: Expr, scope: EmitScope): string {
  const additive = op === '+' || op === '-';
  const l = additive ? plainIntegerOperand(left, right, scope) : emitExpr(left, scope);
  const r = additive ? plainIntegerOperand(right, left, scope) : emitExpr(right, scope);
  switch (op) {
    case '^':
      return `xor(${l}, ${r})`;
    case '/': {
      // BigQuery raises an error on division by zero; DuckDB would answer NULL or Infinity.
      const divisor = literalInteger(right);
      if (divisor !== undefined && divisor !== 0) return `(${l} / ${r})`;
      return `(CASE WHEN ${r} = 0 THEN error('division by zero: ' || CAST(${l} AS VARCHAR) || ' / 0') ELSE ${l} / ${r} END)`;
    }
    default:
      return `(${l} ${op} ${r})`;
  }
}

function emitStruct(
  items: { expr: Expr; alias?: Ident }[],
  type: BigQueryType | undefined,
  scope: EmitScope,
): string {
  const typeFields = type?.kind === 'struct' ? type.fields : undefined;
  const named = (item: { expr: Expr; alias?: Ident }, i: number) =>
    typeFields?.[i]?.name !== undefined || item.alias !== undefined || item.expr.kind === 'path';
  if (items.length > 0 && !items.some(named)) {
    // Fields without names: DuckDB's unnamed STRUCT, which casts to a named one by position, as BigQuery's does.
    const row = `row(${items.map((item) => emitExpr(item.expr, scope)).join(', ')})`;
    return type ? `CAST(${row} AS ${duckdbType(type)})` : row;
  }
  const used = new Set<string>();
  const fields = items.map((item, i) => {
    let name = typeFields?.[i]?.name ?? item.alias?.name;
    if (name === undefined && item.expr.kind === 'path')
      name = item.expr.parts[item.expr.parts.length - 1]!.name;
    if (name === undefined || used.has(name.toLowerCase())) name = `_field_${i + 1}`;
    used.add(name.toLowerCase());
    return `${quoteIdent(name)} := ${emitExpr(item.expr, scope)}`;
  });
  const packed = `struct_pack(${fields.join(', ')})`;
  return type ? `CAST(${packed} AS ${duckdbType(type)})` : packed;
}

/** The DuckDB types that hold BigQuery FLOAT64 and NUMERIC values, as `typeof` names them. */
const DECIMAL_TYPE_TEST = `(typeof(__X__) IN ('DOUBLE', 'FLOAT') OR typeof(__X__) LIKE 'DECIMAL%')`;

/**
 * CAST / SAFE_CAST. The value's type is only known to DuckDB, so the conversions that differ
 * from DuckDB's by the source type test it with `typeof` (folded to a constant when bound).
 */
export function emitCast(value: string, type: BigQueryType, safe: boolean): string {
  const cast = safe ? 'TRY_CAST' : 'CAST';
  if (type.kind === 'scalar') {
    switch (type.name) {
      case 'STRING': {
        // BigQuery writes 1.0 as "1" and NUMERIC 1.50 as "1.5"; BYTES become their UTF-8 text.
        const text = `${cast}(${value} AS VARCHAR)`;
        const trimmed = `regexp_replace(regexp_replace(${text}, '(\\.[0-9]*?)0+$', '\\1'), '\\.$', '')`;
        const decoded = safe
          ? `TRY(decode(TRY_CAST(${value} AS BLOB)))`
          : `decode(TRY_CAST(${value} AS BLOB))`;
        return `(CASE WHEN ${DECIMAL_TYPE_TEST.replace(/__X__/g, () => value)} THEN ${trimmed} WHEN typeof(${value}) = 'BLOB' THEN ${decoded} ELSE ${text} END)`;
      }
      case 'INT64':
        // BigQuery rounds halves away from zero; DuckDB's cast of a DOUBLE rounds them to even.
        return `(CASE WHEN typeof(${value}) IN ('DOUBLE', 'FLOAT') THEN ${cast}(round(TRY_CAST(${value} AS DOUBLE)) AS BIGINT) ELSE ${cast}(${value} AS BIGINT) END)`;
      case 'BYTES':
        return `(CASE WHEN typeof(${value}) = 'VARCHAR' THEN encode(TRY_CAST(${value} AS VARCHAR)) ELSE ${cast}(${value} AS BLOB) END)`;
    }
  }
  return `${cast}(${value} AS ${duckdbType(type)})`;
}

function emitSubscript(
  base: Expr,
  index: Expr,
  mode: 'OFFSET' | 'SAFE_OFFSET' | 'ORDINAL' | 'SAFE_ORDINAL' | 'PLAIN',
  scope: EmitScope,
): string {
  const array = emitExpr(base, scope);
  if (index.kind === 'string') return `struct_extract(${array}, ${sqlString(index.value)})`;
  const fromOne = mode === 'ORDINAL' || mode === 'SAFE_ORDINAL';
  const literal = literalInteger(index);
  if (literal !== undefined) {
    const position = fromOne ? literal : literal + 1;
    return position >= 1 ? `(${array})[${position}]` : 'NULL';
  }
  const i = emitExpr(index, scope);
  // DuckDB counts negative subscripts from the end; BigQuery has no such element.
  return fromOne
    ? `(CASE WHEN ${i} >= 1 THEN (${array})[${i}] END)`
    : `(CASE WHEN ${i} >= 0 THEN (${array})[${i} + 1] END)`;
}

/** `EXTRACT(part FROM value [AT TIME ZONE tz])`. */
function emitExtractExpr(part: Expr, value: Expr, timeZone: Expr | undefined, scope: EmitScope): string {
  const name = datePartName(part);
  if (name === undefined) throw invalidQuery('A valid date part name is required', part.pos);
  let x = emitExpr(value, scope);
  if (timeZone) x = `timezone(${emitExpr(timeZone, scope)}, ${x})`;
  return emitExtract(name, x, part.pos);
}

/** A date part of a DATE, DATETIME or TIMESTAMP value (already DuckDB SQL), as BigQuery counts it. */
export function emitExtract(name: string, x: string, at: Pos): string {
  switch (name) {
    case 'YEAR':
    case 'MONTH':
    case 'DAY':
    case 'HOUR':
    case 'MINUTE':
    case 'SECOND':
    case 'QUARTER':
    case 'ISOYEAR':
      return `extract(${name.toLowerCase()} FROM ${x})`;
    case 'DAYOFYEAR':
      return `dayofyear(${x})`;
    case 'ISOWEEK':
      return `week(${x})`;
    case 'DAYOFWEEK':
      return `(dayofweek(${x}) + 1)`;
    case 'WEEK':
    case 'WEEK(SUNDAY)':
      return `CAST(strftime(${x}, '%U') AS BIGINT)`;
    case 'WEEK(MONDAY)':
      return `CAST(strftime(${x}, '%W') AS BIGINT)`;
    case 'MILLISECOND':
      return `(millisecond(${x}) % 1000)`;
    case 'MICROSECOND':
      return `(microsecond(${x}) % 1000000)`;
    case 'DATE':
      return `CAST(${x} AS DATE)`;
    case 'TIME':
      return `CAST(${x} AS TIME)`;
    case 'DATETIME':
      return `CAST(${x} AS TIMESTAMP)`;
  }
  if (name.startsWith('WEEK(')) throw unsupported(`EXTRACT of ${name}`, at);
  throw invalidQuery(`A valid date part name is required but found ${name}`, at);
}

/** ORDER BY items; bare integer literals stay positions (`ORDER BY 1`). */
export function emitOrderItems(items: OrderItem[], scope: EmitScope, positional: boolean): string {
  return items
    .map((item) => {
      const position = positional ? literalInteger(item.expr) : undefined;
      const expr = position !== undefined ? String(position) : emitExpr(item.expr, scope);
      // BigQuery sorts NULLs first ascending and last descending, DuckDB last either way unless told.
      const nulls = item.nulls ?? (item.desc ? 'LAST' : 'FIRST');
      return `${expr} ${item.desc ? 'DESC' : 'ASC'} NULLS ${nulls}`;
    })
    .join(', ');
}

/** A window specification: `(name PARTITION BY … ORDER BY … frame)`, or a window name. */
export function emitWindow(spec: WindowSpec, scope: EmitScope): string {
  if (spec.base && spec.partitionBy.length === 0 && spec.orderBy.length === 0 && !spec.frame)
    return quoteIdent(spec.base.name);
  const parts: string[] = [];
  if (spec.base) parts.push(quoteIdent(spec.base.name));
  if (spec.partitionBy.length > 0)
    parts.push(`PARTITION BY ${spec.partitionBy.map((p) => emitExpr(p, scope)).join(', ')}`);
  if (spec.orderBy.length > 0) parts.push(`ORDER BY ${emitOrderItems(spec.orderBy, scope, false)}`);
  if (spec.frame) parts.push(emitFrame(spec.frame, scope));
  return `(${parts.join(' ')})`;
}

function emitFrame(frame: WindowFrame, scope: EmitScope): string {
  const bound = (b: NonNullable<WindowFrame['end']>) =>
    b.offset ? `${emitExpr(b.offset, scope)} ${b.kind}` : b.kind;
  return frame.end
    ? `${frame.unit} BETWEEN ${bound(frame.start)} AND ${bound(frame.end)}`
    : `${frame.unit} ${bound(frame.start)}`;
}
