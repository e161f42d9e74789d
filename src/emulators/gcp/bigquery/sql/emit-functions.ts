/**
 * Function calls: scalar functions rewritten to DuckDB's with BigQuery's results (CONCAT is NULL
 * when any argument is, MD5/SHA256 return BYTES, GREATEST is NULL when any argument is, SUBSTR
 * treats position 0 as 1…), aggregates and analytic functions with their modifiers (DISTINCT,
 * IGNORE NULLS, ORDER BY, LIMIT, OVER). A function outside the list is "Function not found",
 * as BigQuery says for a name it does not know.
 */
import type { Expr, FunctionCall } from './ast.js';
import { invalidQuery, unsupported } from './errors.js';
import { arity, DATETIME_FUNCTIONS } from './emit-datetime.js';
import { emitCast, emitExpr, emitOrderItems, emitWindow, literalInteger } from './emit-expression.js';
import type { EmitScope } from './emit-expression.js';

type Emitter = (call: FunctionCall, scope: EmitScope) => string;

const args = (call: FunctionCall, scope: EmitScope) => call.args.map((arg) => emitExpr(arg, scope));

/** A function that is DuckDB's of another name, with the same arguments. */
function same(duckdbName: string, min: number, max = min): Emitter {
  return (call, scope) => {
    arity(call, min, max);
    return `${duckdbName}(${args(call, scope).join(', ')})`;
  };
}

/** A function whose DuckDB SQL is a template over its emitted arguments. */
function template(min: number, max: number, build: (a: string[], call: FunctionCall) => string): Emitter {
  return (call, scope) => {
    arity(call, min, max);
    return build(args(call, scope), call);
  };
}

/** NULL when any of the values is NULL (BigQuery's rule for CONCAT, GREATEST, LEAST). */
function nullIfAnyNull(values: string[], expr: string): string {
  return `(CASE WHEN ${values.map((v) => `${v} IS NULL`).join(' OR ')} THEN NULL ELSE ${expr} END)`;
}

/** The number of capturing groups of a literal regular expression. */
function captureGroups(pattern: Expr): number | undefined {
  if (pattern.kind !== 'string') return undefined;
  const text = pattern.value.replace(/\\./g, '');
  return (text.match(/\((?!\?)/g) ?? []).length;
}

const SCALARS: Record<string, Emitter> = {
  // Conditionals
  IF: template(3, 3, ([c, a, b]) => `(CASE WHEN ${c} THEN ${a} ELSE ${b} END)`),
  IFNULL: template(2, 2, ([a, b]) => `COALESCE(${a}, ${b})`),
  COALESCE: template(1, Infinity, (a) => `COALESCE(${a.join(', ')})`),
  NULLIF: same('NULLIF', 2),
  // Strings and bytes
  CONCAT: concat,
  LOWER: same('lower', 1),
  UPPER: same('upper', 1),
  LENGTH: template(
    1,
    1,
    ([s]) =>
      `(CASE WHEN typeof(${s}) = 'BLOB' THEN octet_length(TRY_CAST(${s} AS BLOB)) ELSE length(TRY_CAST(${s} AS VARCHAR)) END)`,
  ),
  CHAR_LENGTH: same('length', 1),
  CHARACTER_LENGTH: same('length', 1),
  BYTE_LENGTH: template(
    1,
    1,
    ([s]) =>
      `(CASE WHEN typeof(${s}) = 'BLOB' THEN octet_length(TRY_CAST(${s} AS BLOB)) ELSE strlen(TRY_CAST(${s} AS VARCHAR)) END)`,
  ),
  SUBSTR: substr,
  SUBSTRING: substr,
  LEFT: same('left', 2),
  RIGHT: same('right', 2),
  TRIM: same('trim', 1, 2),
  LTRIM: same('ltrim', 1, 2),
  RTRIM: same('rtrim', 1, 2),
  LPAD: template(2, 3, ([s, n, p]) => `lpad(${s}, CAST(${n} AS INTEGER), ${p ?? "' '"})`),
  RPAD: template(2, 3, ([s, n, p]) => `rpad(${s}, CAST(${n} AS INTEGER), ${p ?? "' '"})`),
  REPLACE: same('replace', 3),
  REPEAT: same('repeat', 2),
  REVERSE: same('reverse', 1),
  STRPOS: same('strpos', 2),
  INSTR: template(2, 2, ([s, t]) => `strpos(${s}, ${t})`),
  STARTS_WITH: same('starts_with', 2),
  ENDS_WITH: same('ends_with', 2),
  INITCAP: template(
    1,
    1,
    ([s]) =>
      `list_aggr(list_transform(regexp_split_to_array(lower(${s}), ' '), w -> upper(w[1]) || w[2:]), 'string_agg', ' ')`,
  ),
  SPLIT: template(
    1,
    2,
    ([s, d]) => `(CASE WHEN ${s} = '' THEN CAST([] AS VARCHAR[]) ELSE string_split(${s}, ${d ?? "','"}) END)`,
  ),
  REGEXP_CONTAINS: same('regexp_matches', 2),
  REGEXP_REPLACE: template(3, 3, ([s, r, t]) => `regexp_replace(${s}, ${r}, ${t}, 'g')`),
  REGEXP_EXTRACT: (call, scope) => {
    arity(call, 2);
    const [s, r] = args(call, scope);
    const groups = captureGroups(call.args[1]!);
    if (groups === undefined)
      throw unsupported('REGEXP_EXTRACT with a pattern that is not a string literal', call.args[1]!.pos);
    if (groups > 1)
      throw invalidQuery(
        'Regular expressions passed into extraction functions must not have more than 1 capturing group',
        call.args[1]!.pos,
      );
    return `(CASE WHEN regexp_matches(${s}, ${r}) THEN regexp_extract(${s}, ${r}, ${groups}) END)`;
  },
  REGEXP_EXTRACT_ALL: (call, scope) => {
    arity(call, 2);
    const [s, r] = args(call, scope);
    const groups = captureGroups(call.args[1]!);
    if (groups === undefined)
      throw unsupported('REGEXP_EXTRACT_ALL with a pattern that is not a string literal', call.args[1]!.pos);
    return `regexp_extract_all(${s}, ${r}, ${Math.min(groups, 1)})`;
  },
  REGEXP_SUBSTR: (call, scope) => SCALARS.REGEXP_EXTRACT!(call, scope),
  ASCII: same('ascii', 1),
  CHR: template(1, 1, ([n]) => `chr(CAST(${n} AS INTEGER))`),
  TRANSLATE: same('translate', 3),
  EDIT_DISTANCE: same('levenshtein', 2),
  MD5: template(1, 1, ([s]) => `from_hex(md5(${s}))`),
  SHA256: template(1, 1, ([s]) => `from_hex(sha256(${s}))`),
  SHA1: template(1, 1, ([s]) => `from_hex(sha1(${s}))`),
  TO_HEX: template(1, 1, ([b]) => `lower(hex(${b}))`),
  FROM_HEX: template(1, 1, ([s]) => `from_hex(${s})`),
  TO_BASE64: same('to_base64', 1),
  FROM_BASE64: same('from_base64', 1),
  GENERATE_UUID: template(0, 0, () => 'CAST(gen_random_uuid() AS VARCHAR)'),
  // Numbers
  ROUND: template(1, 2, ([x, n]) => (n === undefined ? `round(${x})` : `round(${x}, CAST(${n} AS INTEGER))`)),
  TRUNC: template(1, 2, ([x, n]) => (n === undefined ? `trunc(${x})` : `trunc(${x}, CAST(${n} AS INTEGER))`)),
  ABS: same('abs', 1),
  SIGN: same('sign', 1),
  MOD: template(
    2,
    2,
    ([a, b]) =>
      `(CASE WHEN ${b} = 0 THEN error('division by zero: MOD(' || CAST(${a} AS VARCHAR) || ', 0)') ELSE ${a} % ${b} END)`,
  ),
  DIV: template(
    2,
    2,
    ([a, b]) =>
      `(CASE WHEN ${b} = 0 THEN error('division by zero: DIV(' || CAST(${a} AS VARCHAR) || ', 0)') ELSE CAST(trunc(${a} / ${b}) AS BIGINT) END)`,
  ),
  SAFE_DIVIDE: template(2, 2, ([a, b]) => `(CASE WHEN ${b} = 0 THEN NULL ELSE ${a} / ${b} END)`),
  SAFE_MULTIPLY: template(2, 2, ([a, b]) => `TRY(${a} * ${b})`),
  SAFE_ADD: template(2, 2, ([a, b]) => `TRY(${a} + ${b})`),
  SAFE_SUBTRACT: template(2, 2, ([a, b]) => `TRY(${a} - ${b})`),
  SAFE_NEGATE: template(1, 1, ([a]) => `TRY(- ${a})`),
  CEIL: same('ceil', 1),
  CEILING: same('ceil', 1),
  FLOOR: same('floor', 1),
  SQRT: same('sqrt', 1),
  POW: same('pow', 2),
  POWER: same('pow', 2),
  EXP: same('exp', 1),
  LN: same('ln', 1),
  LOG: template(1, 2, ([x, base]) => (base === undefined ? `ln(${x})` : `log(${base}, ${x})`)),
  LOG10: same('log10', 1),
  GREATEST: template(1, Infinity, (a) => nullIfAnyNull(a, `greatest(${a.join(', ')})`)),
  LEAST: template(1, Infinity, (a) => nullIfAnyNull(a, `least(${a.join(', ')})`)),
  SIN: same('sin', 1),
  COS: same('cos', 1),
  TAN: same('tan', 1),
  ASIN: same('asin', 1),
  ACOS: same('acos', 1),
  ATAN: same('atan', 1),
  ATAN2: same('atan2', 2),
  CBRT: same('cbrt', 1),
  BIT_COUNT: same('bit_count', 1),
  RANGE_BUCKET: template(
    2,
    2,
    ([x, bounds]) =>
      `(CASE WHEN ${x} IS NULL THEN NULL ELSE CAST(len(list_filter(${bounds}, bound -> bound <= ${x})) AS BIGINT) END)`,
  ),
  IS_NAN: same('isnan', 1),
  IS_INF: same('isinf', 1),
  RAND: template(0, 0, () => 'random()'),
  // Conversions: BigQuery's take JSON (or a string literal, read as JSON); see fromJson
  FLOAT64: template(1, 1, ([x]) => `CAST(${x} AS DOUBLE)`),
  INT64: template(1, 1, ([x]) => `CAST(${x} AS BIGINT)`),
  BOOL: template(1, 1, ([x]) => `CAST(${x} AS BOOLEAN)`),
  // JSON
  PARSE_JSON: template(1, 1, ([s]) => `CAST(${s} AS JSON)`),
  JSON_VALUE: jsonScalar,
  JSON_EXTRACT_SCALAR: jsonScalar,
  JSON_QUERY: template(1, 2, ([j, path]) => `json_extract(${j}, ${path ?? "'$'"})`),
  JSON_EXTRACT: template(1, 2, ([j, path]) => `json_extract(${j}, ${path ?? "'$'"})`),
  FORMAT: format,
  // Arrays
  ARRAY_LENGTH: same('len', 1),
  ARRAY_TO_STRING: template(2, 3, ([a, d, n]) =>
    n === undefined
      ? `array_to_string(${a}, ${d})`
      : `array_to_string(list_transform(${a}, x -> COALESCE(x, ${n})), ${d})`,
  ),
  ARRAY_CONCAT: template(1, Infinity, (a) => a.reduce((l, r) => `list_concat(${l}, ${r})`)),
  ARRAY_REVERSE: same('list_reverse', 1),
  GENERATE_ARRAY: template(
    2,
    3,
    ([a, b, step]) => `generate_series(${a}, ${b}, ${step ?? 'CAST(1 AS BIGINT)'})`,
  ),
  GENERATE_TIMESTAMP_ARRAY: (call, scope) => {
    arity(call, 3);
    const [a, b] = args(call, scope);
    const step = call.args[2]!;
    if (step.kind !== 'interval')
      throw invalidQuery('GENERATE_TIMESTAMP_ARRAY takes an INTERVAL as its third argument', step.pos);
    return `generate_series(CAST(${a} AS TIMESTAMPTZ), CAST(${b} AS TIMESTAMPTZ), ${emitExpr(step, scope)})`;
  },
  GENERATE_DATE_ARRAY: (call, scope) => {
    arity(call, 2, 3);
    const [a, b] = args(call, scope);
    const step = call.args[2];
    let interval = 'INTERVAL 1 DAY';
    if (step) {
      if (step.kind !== 'interval')
        throw invalidQuery('GENERATE_DATE_ARRAY takes an INTERVAL as its third argument', step.pos);
      interval = emitExpr(step, scope);
    }
    return `list_transform(generate_series(CAST(${a} AS TIMESTAMP), CAST(${b} AS TIMESTAMP), ${interval}), d -> CAST(d AS DATE))`;
  },
};

/** JSON_VALUE: the scalar at the path as a STRING; NULL for an object or an array, as BigQuery answers. */
function jsonScalar(call: FunctionCall, scope: EmitScope): string {
  arity(call, 1, 2);
  const [j, path = "'$'"] = args(call, scope);
  return `(CASE WHEN json_type(${j}, ${path}) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(${j}, ${path}) END)`;
}

/** FORMAT with the elements printf writes as BigQuery does: %d %i %s %f %.Nf %%. */
function format(call: FunctionCall, scope: EmitScope): string {
  arity(call, 1, Infinity);
  const pattern = call.args[0]!;
  if (pattern.kind !== 'string')
    throw unsupported('a FORMAT pattern that is not a string literal', pattern.pos);
  for (const element of pattern.value.match(/%[^a-zA-Z%]*[a-zA-Z%]/g) ?? []) {
    if (!/^%(?:%|[-+ 0]*\d*(?:\.\d+)?[dif]|-?\d*s)$/.test(element))
      throw unsupported(`the FORMAT element ${element}`, pattern.pos);
  }
  return `printf(${args(call, scope).join(', ')})`;
}

/** Functions whose result is BYTES: a CONCAT with one of them joins bytes. */
const BYTES_FUNCTIONS = new Set(['MD5', 'SHA1', 'SHA256', 'FROM_HEX', 'FROM_BASE64']);

function isBytesExpression(expr: Expr): boolean {
  if (expr.kind === 'bytes') return true;
  if (expr.kind === 'call') return BYTES_FUNCTIONS.has(expr.name);
  if (expr.kind === 'cast') return expr.type.kind === 'scalar' && expr.type.name === 'BYTES';
  return false;
}

/** Functions whose result is a STRING whatever their arguments. */
const STRING_FUNCTIONS = new Set([
  'CONCAT',
  'LOWER',
  'UPPER',
  'TRIM',
  'LTRIM',
  'RTRIM',
  'SUBSTR',
  'SUBSTRING',
  'LEFT',
  'RIGHT',
  'LPAD',
  'RPAD',
  'REPLACE',
  'REPEAT',
  'REVERSE',
  'INITCAP',
  'REGEXP_REPLACE',
  'REGEXP_EXTRACT',
  'TO_HEX',
  'TO_BASE64',
  'FORMAT',
  'FORMAT_DATE',
  'FORMAT_DATETIME',
  'FORMAT_TIMESTAMP',
  'GENERATE_UUID',
  'ARRAY_TO_STRING',
  'STRING_AGG',
  'JSON_VALUE',
]);

/** Whether an expression is a STRING by its form (so CONCAT needs not convert it). */
function isStringExpression(expr: Expr): boolean {
  switch (expr.kind) {
    case 'string':
      return true;
    case 'paren':
      return isStringExpression(expr.expr);
    case 'cast':
      return expr.type.kind === 'scalar' && expr.type.name === 'STRING';
    case 'call':
      if (expr.name === 'COALESCE' || expr.name === 'IFNULL') return expr.args.some(isStringExpression);
      return STRING_FUNCTIONS.has(expr.name);
    default:
      return false;
  }
}

/**
 * CONCAT: NULL when any value is; with strings, other values are written as CAST(… AS STRING)
 * writes them (`1`, not `1.0`); a BYTES column among strings is refused rather than written as
 * DuckDB's escaped text.
 */
function concat(call: FunctionCall, scope: EmitScope): string {
  arity(call, 1, Infinity);
  const values = call.args.map((arg) => emitExpr(arg, scope));
  const joined = (parts: string[]) => (parts.length === 1 ? parts[0]! : `(${parts.join(' || ')})`);
  if (call.args.some(isBytesExpression)) return joined(values);
  return joined(
    values.map((value, i) => {
      if (isStringExpression(call.args[i]!)) return value;
      const text = emitCast(value, { kind: 'scalar', name: 'STRING' }, false);
      return `(CASE WHEN typeof(${value}) = 'BLOB' THEN error('CONCAT of BYTES with STRING: cast the BYTES with CAST(… AS STRING) or TO_HEX') ELSE ${text} END)`;
    }),
  );
}

function substr(call: FunctionCall, scope: EmitScope): string {
  arity(call, 2, 3);
  const [s, p, n] = args(call, scope);
  const literal = literalInteger(call.args[1]!);
  // BigQuery reads position 0 as 1; DuckDB would count it as a position before the first.
  const position =
    literal !== undefined ? String(Math.max(literal, 1)) : `(CASE WHEN ${p} = 0 THEN 1 ELSE ${p} END)`;
  return n === undefined ? `substring(${s}, ${position})` : `substring(${s}, ${position}, ${n})`;
}

/** Aggregate functions (usable with OVER too), BigQuery name → DuckDB name. */
const AGGREGATES: Record<string, string> = {
  COUNT: 'count',
  SUM: 'sum',
  AVG: 'avg',
  MIN: 'min',
  MAX: 'max',
  ANY_VALUE: 'any_value',
  COUNTIF: 'count_if',
  LOGICAL_AND: 'bool_and',
  LOGICAL_OR: 'bool_or',
  ARRAY_AGG: 'array_agg',
  STRING_AGG: 'string_agg',
  STDDEV: 'stddev_samp',
  STDDEV_SAMP: 'stddev_samp',
  STDDEV_POP: 'stddev_pop',
  VARIANCE: 'var_samp',
  VAR_SAMP: 'var_samp',
  VAR_POP: 'var_pop',
  BIT_AND: 'bit_and',
  BIT_OR: 'bit_or',
  BIT_XOR: 'bit_xor',
  CORR: 'corr',
  COVAR_POP: 'covar_pop',
  COVAR_SAMP: 'covar_samp',
  APPROX_COUNT_DISTINCT: 'count',
  APPROX_QUANTILES: 'quantile_disc',
};

/** Functions that only exist with OVER, BigQuery name → DuckDB name. */
const ANALYTIC: Record<string, string> = {
  ROW_NUMBER: 'row_number',
  RANK: 'rank',
  DENSE_RANK: 'dense_rank',
  PERCENT_RANK: 'percent_rank',
  CUME_DIST: 'cume_dist',
  NTILE: 'ntile',
  LAG: 'lag',
  LEAD: 'lead',
  FIRST_VALUE: 'first_value',
  LAST_VALUE: 'last_value',
  NTH_VALUE: 'nth_value',
  PERCENTILE_CONT: 'quantile_cont',
  PERCENTILE_DISC: 'quantile_disc',
};

/** A function call as DuckDB SQL. */
export function emitCall(call: FunctionCall, scope: EmitScope): string {
  if (call.name.includes('.'))
    throw invalidQuery(`Function not found: ${call.written ?? call.name}`, call.pos);
  const aggregate = AGGREGATES[call.name];
  const analytic = ANALYTIC[call.name];
  if (aggregate !== undefined || analytic !== undefined) {
    if (call.safe) throw unsupported(`SAFE.${call.name}`, call.pos);
    return emitAggregate(call, aggregate ?? analytic!, analytic !== undefined, scope);
  }
  if (call.distinct || call.orderBy || call.limit || call.nulls)
    throw invalidQuery(`${call.name} is not an aggregate function`, call.pos);
  if (call.over) throw invalidQuery(`${call.name} is not an analytic function`, call.pos);
  const emitter = SCALARS[call.name] ?? DATETIME_FUNCTIONS[call.name];
  if (emitter === undefined) {
    if (KNOWN_UNSUPPORTED.has(call.name)) throw unsupported(`the function ${call.name}`, call.pos);
    throw invalidQuery(`Function not found: ${call.written ?? call.name}`, call.pos);
  }
  const sql = emitter(call, scope);
  const converted = call.safe ? `TRY(${sql})` : sql;
  return JSON_CONVERSIONS.has(call.name) ? fromJson(call, scope, converted) : converted;
}

/** FLOAT64(), INT64() and BOOL() convert JSON values only. */
const JSON_CONVERSIONS = new Set(['FLOAT64', 'INT64', 'BOOL']);

/**
 * A JSON conversion with BigQuery's signature check: its argument must be JSON (a string literal
 * is read as JSON). Any other type is BigQuery's "No matching signature" error, which SAFE. does
 * not turn into NULL, so the check stands outside the TRY. DuckDB knows a column's type only when
 * it runs the query, so the check is made there, where typeof() is a constant.
 */
function fromJson(call: FunctionCall, scope: EmitScope, converted: string): string {
  const [arg] = call.args;
  if (arg?.kind === 'string') return converted;
  const value = emitExpr(arg!, scope);
  const [line, column] = [call.pos.line, call.pos.column];
  const message = `No matching signature for function ${call.name}: its argument must be JSON; to convert another type, use CAST or SAFE_CAST. Supported signature: ${call.name}(JSON) at [${line}:${column}]`;
  return `(CASE WHEN typeof(${value}) = 'JSON' THEN ${converted} ELSE error('${message}') END)`;
}

/** BigQuery functions the emulator knows of and does not translate (rather than "not found"). */
const KNOWN_UNSUPPORTED = new Set([
  'FARM_FINGERPRINT',
  'TO_JSON_STRING',
  'TO_JSON',
  'JSON_EXTRACT_ARRAY',
  'JSON_QUERY_ARRAY',
  'APPROX_TOP_COUNT',
  'ST_GEOGPOINT',
  'ST_DISTANCE',
  'NET.HOST',
  'SESSION_USER',
  'ERROR',
  'NORMALIZE',
  'SOUNDEX',
  'CODE_POINTS_TO_STRING',
  'TO_CODE_POINTS',
  'ML.PREDICT',
  'HLL_COUNT.MERGE',
]);

function emitAggregate(call: FunctionCall, name: string, analyticOnly: boolean, scope: EmitScope): string {
  if (analyticOnly && !call.over)
    throw invalidQuery(`Analytic function ${call.name} cannot be called without an OVER clause`, call.pos);
  const argList = call.args.map((arg) => (arg.kind === 'star' ? '*' : emitExpr(arg, scope)));
  if (call.args.some((arg) => arg.kind === 'star') && call.name !== 'COUNT')
    throw invalidQuery(`Syntax error: Unexpected "*"`, call.pos);
  if (call.name === 'STRING_AGG') {
    arity(call, 1, 2);
    if (argList.length === 1) argList.push(`','`);
  } else if (call.name === 'APPROX_COUNT_DISTINCT') {
    arity(call, 1);
  } else if (call.name === 'PERCENTILE_CONT' || call.name === 'PERCENTILE_DISC') {
    arity(call, 2);
  } else if (call.name === 'APPROX_QUANTILES') {
    // n + 1 boundaries: the minimum, the n - 1 quantiles, the maximum (exact, which an approximation may be).
    arity(call, 2);
    const buckets = literalInteger(call.args[1]!);
    if (buckets === undefined || buckets < 1)
      throw invalidQuery(
        'APPROX_QUANTILES takes a positive integer literal number of quantiles',
        call.args[1]!.pos,
      );
    argList[1] = `[${Array.from({ length: buckets + 1 }, (_, i) => `${i}.0 / ${buckets}`).join(', ')}]`;
  }
  const distinct = call.distinct || call.name === 'APPROX_COUNT_DISTINCT' ? 'DISTINCT ' : '';
  const order = call.orderBy ? ` ORDER BY ${emitOrderItems(call.orderBy, scope, false)}` : '';
  let nulls = '';
  let filter = '';
  if (call.nulls === 'IGNORE') {
    if (call.name === 'ARRAY_AGG') filter = ` FILTER (WHERE ${argList[0]} IS NOT NULL)`;
    else if (['FIRST_VALUE', 'LAST_VALUE', 'NTH_VALUE', 'LAG', 'LEAD'].includes(call.name))
      nulls = ' IGNORE NULLS';
  }
  let sql = `${name}(${distinct}${argList.join(', ')}${nulls}${order})${filter}`;
  if (call.over) sql += ` OVER ${emitWindow(call.over, scope)}`;
  if (call.limit) {
    const limit = literalInteger(call.limit);
    if (limit === undefined)
      throw invalidQuery('The LIMIT of an aggregate must be an integer literal', call.limit.pos);
    if (call.name === 'STRING_AGG') {
      // The first n values (NULLs skipped, as STRING_AGG skips them), then joined.
      const values = `array_agg(${distinct}${argList[0]}${order}) FILTER (WHERE ${argList[0]} IS NOT NULL)`;
      const window = call.over ? ` OVER ${emitWindow(call.over, scope)}` : '';
      sql = `array_to_string(list_slice(${values}${window}, 1, ${limit}), ${argList[1]})`;
    } else if (call.name === 'ARRAY_AGG') {
      sql = `list_slice(${sql}, 1, ${limit})`;
    } else {
      throw invalidQuery(`${call.name} does not take a LIMIT`, call.limit.pos);
    }
  }
  if (call.name === 'COUNT' || call.name === 'COUNTIF' || call.name === 'APPROX_COUNT_DISTINCT')
    sql = `CAST(${sql} AS BIGINT)`;
  return sql;
}
