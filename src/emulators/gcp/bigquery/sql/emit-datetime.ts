/**
 * BigQuery's date and time functions as DuckDB SQL: truncation (weeks start on Sunday unless
 * said otherwise), DATE_ADD/DATE_DIFF and their DATETIME and TIMESTAMP forms (DATE_DIFF counts
 * part boundaries, TIMESTAMP_DIFF whole parts, as BigQuery does), constructors, and the
 * FORMAT_/PARSE_ functions, whose format elements are rewritten to strftime/strptime's.
 * TIMESTAMP values are TIMESTAMPTZ in a UTC session; a time zone argument goes through
 * DuckDB's `timezone(zone, value)`.
 */
import type { Expr, FunctionCall, Pos } from './ast.js';
import { invalidQuery, unsupported } from './errors.js';
import { datePartName, emitExpr, emitInterval, sqlString } from './emit-expression.js';
import type { EmitScope } from './emit-expression.js';

type Emitter = (call: FunctionCall, scope: EmitScope) => string;

/** A wrong argument count, worded as BigQuery words it. */
export function arity(call: FunctionCall, min: number, max = min): void {
  const count = call.args.length;
  if (count < min || count > max) {
    const expected = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw invalidQuery(
      `No matching signature for function ${call.name}: expected ${expected} argument${max === 1 && min === 1 ? '' : 's'}, got ${count}`,
      call.pos,
    );
  }
}

const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

/** The part argument of a truncation or difference, in upper case. */
function partArg(expr: Expr | undefined, call: FunctionCall): string {
  const name = expr ? datePartName(expr) : undefined;
  if (name === undefined)
    throw invalidQuery(
      `A valid date part name is required as the last argument of ${call.name}`,
      expr?.pos ?? call.pos,
    );
  return name;
}

/** Truncates `x` (a DuckDB DATE, TIMESTAMP or TIMESTAMPTZ) to `part`; the result is a TIMESTAMP(TZ). */
function truncate(part: string, x: string, at: Pos): string {
  const simple: Record<string, string> = {
    MICROSECOND: 'microseconds',
    MILLISECOND: 'milliseconds',
    SECOND: 'second',
    MINUTE: 'minute',
    HOUR: 'hour',
    DAY: 'day',
    ISOWEEK: 'week',
    MONTH: 'month',
    QUARTER: 'quarter',
    YEAR: 'year',
  };
  if (simple[part]) return `date_trunc('${simple[part]}', ${x})`;
  if (part === 'ISOYEAR') return `(date_trunc('week', ${x}) - INTERVAL (7 * (week(${x}) - 1)) DAY)`;
  const weekday = part === 'WEEK' ? 'SUNDAY' : /^WEEK\((\w+)\)$/.exec(part)?.[1];
  const shift = weekday !== undefined ? DAYS.indexOf(weekday) : -1;
  if (shift < 0) throw invalidQuery(`A valid date part name is required but found ${part}`, at);
  if (shift === 0) return `date_trunc('week', ${x})`;
  // DuckDB's weeks start on Monday: shift the value so the wanted weekday falls on one.
  return `(date_trunc('week', ${x} - INTERVAL ${shift} DAY) + INTERVAL ${shift} DAY)`;
}

function timeZoneArg(call: FunctionCall, index: number, scope: EmitScope): string | undefined {
  const arg = call.args[index];
  return arg ? emitExpr(arg, scope) : undefined;
}

/** The functions of this family, by BigQuery name. */
export const DATETIME_FUNCTIONS: Record<string, Emitter> = {
  CURRENT_DATE: (call, scope) => {
    arity(call, 0, 1);
    const zone = timeZoneArg(call, 0, scope);
    return zone
      ? `CAST(timezone(${zone}, current_timestamp) AS DATE)`
      : `CAST(timezone('UTC', current_timestamp) AS DATE)`;
  },
  CURRENT_DATETIME: (call, scope) => {
    arity(call, 0, 1);
    return `timezone(${timeZoneArg(call, 0, scope) ?? "'UTC'"}, current_timestamp)`;
  },
  CURRENT_TIME: (call, scope) => {
    arity(call, 0, 1);
    return `CAST(timezone(${timeZoneArg(call, 0, scope) ?? "'UTC'"}, current_timestamp) AS TIME)`;
  },
  CURRENT_TIMESTAMP: (call) => {
    arity(call, 0);
    return 'current_timestamp';
  },
  DATE: (call, scope) => {
    arity(call, 1, 3);
    const args = call.args.map((a) => emitExpr(a, scope));
    if (args.length === 3) return `make_date(${args.join(', ')})`;
    if (args.length === 2) return `CAST(timezone(${args[1]}, ${args[0]}) AS DATE)`;
    return `CAST(${args[0]} AS DATE)`;
  },
  DATETIME: (call, scope) => {
    arity(call, 1, 6);
    const args = call.args.map((a) => emitExpr(a, scope));
    if (args.length === 6) return `make_timestamp(${args.join(', ')})`;
    if (args.length === 2) {
      // DATETIME(date, time) or DATETIME(timestamp, zone): told apart by the second value's type.
      return `(CASE WHEN typeof(${args[1]}) = 'TIME' THEN CAST(${args[0]} AS DATE) + TRY_CAST(${args[1]} AS TIME) ELSE timezone(TRY_CAST(${args[1]} AS VARCHAR), TRY_CAST(${args[0]} AS TIMESTAMPTZ)) END)`;
    }
    if (args.length !== 1)
      throw invalidQuery(
        `No matching signature for function DATETIME with ${args.length} arguments`,
        call.pos,
      );
    return `CAST(${args[0]} AS TIMESTAMP)`;
  },
  TIMESTAMP: (call, scope) => {
    arity(call, 1, 2);
    const value = emitExpr(call.args[0]!, scope);
    const zone = timeZoneArg(call, 1, scope);
    return zone ? `timezone(${zone}, CAST(${value} AS TIMESTAMP))` : `CAST(${value} AS TIMESTAMPTZ)`;
  },
  TIME: (call, scope) => {
    arity(call, 1, 3);
    const args = call.args.map((a) => emitExpr(a, scope));
    if (args.length === 3) return `make_time(${args[0]}, ${args[1]}, ${args[2]})`;
    if (args.length === 2) return `CAST(timezone(${args[1]}, ${args[0]}) AS TIME)`;
    return `CAST(${args[0]} AS TIME)`;
  },
  DATE_TRUNC: (call, scope) => {
    arity(call, 2);
    return `CAST(${truncate(partArg(call.args[1], call), `CAST(${emitExpr(call.args[0]!, scope)} AS DATE)`, call.pos)} AS DATE)`;
  },
  DATETIME_TRUNC: (call, scope) => {
    arity(call, 2);
    return `CAST(${truncate(partArg(call.args[1], call), `CAST(${emitExpr(call.args[0]!, scope)} AS TIMESTAMP)`, call.pos)} AS TIMESTAMP)`;
  },
  TIMESTAMP_TRUNC: (call, scope) => {
    arity(call, 2, 3);
    const value = `CAST(${emitExpr(call.args[0]!, scope)} AS TIMESTAMPTZ)`;
    const part = partArg(call.args[1], call);
    const zone = timeZoneArg(call, 2, scope);
    if (zone) return `timezone(${zone}, ${truncate(part, `timezone(${zone}, ${value})`, call.pos)})`;
    return `CAST(${truncate(part, value, call.pos)} AS TIMESTAMPTZ)`;
  },
  DATE_ADD: (call, scope) => addInterval(call, scope, 'DATE', '+'),
  DATE_SUB: (call, scope) => addInterval(call, scope, 'DATE', '-'),
  DATETIME_ADD: (call, scope) => addInterval(call, scope, 'TIMESTAMP', '+'),
  DATETIME_SUB: (call, scope) => addInterval(call, scope, 'TIMESTAMP', '-'),
  TIMESTAMP_ADD: (call, scope) => addInterval(call, scope, 'TIMESTAMPTZ', '+'),
  TIMESTAMP_SUB: (call, scope) => addInterval(call, scope, 'TIMESTAMPTZ', '-'),
  DATE_DIFF: (call, scope) => difference(call, scope, 'DATE'),
  DATETIME_DIFF: (call, scope) => difference(call, scope, 'TIMESTAMP'),
  TIMESTAMP_DIFF: (call, scope) => difference(call, scope, 'TIMESTAMPTZ'),
  LAST_DAY: (call, scope) => {
    arity(call, 1, 2);
    const part = call.args[1] ? partArg(call.args[1], call) : 'MONTH';
    const value = `CAST(${emitExpr(call.args[0]!, scope)} AS DATE)`;
    if (part === 'MONTH') return `last_day(${value})`;
    if (part === 'YEAR' || part === 'QUARTER')
      return `CAST(date_trunc('${part.toLowerCase()}', ${value}) + INTERVAL 1 ${part === 'YEAR' ? 'YEAR' : 'QUARTER'} - INTERVAL 1 DAY AS DATE)`;
    throw unsupported(`LAST_DAY with ${part}`, call.pos);
  },
  UNIX_DATE: (call, scope) => {
    arity(call, 1);
    return `date_diff('day', DATE '1970-01-01', CAST(${emitExpr(call.args[0]!, scope)} AS DATE))`;
  },
  DATE_FROM_UNIX_DATE: (call, scope) => {
    arity(call, 1);
    return `CAST(DATE '1970-01-01' + INTERVAL (${emitExpr(call.args[0]!, scope)}) DAY AS DATE)`;
  },
  UNIX_SECONDS: (call, scope) => {
    arity(call, 1);
    return `CAST(floor(epoch_us(${emitExpr(call.args[0]!, scope)}) / 1000000) AS BIGINT)`;
  },
  UNIX_MILLIS: (call, scope) => {
    arity(call, 1);
    return `CAST(floor(epoch_us(${emitExpr(call.args[0]!, scope)}) / 1000) AS BIGINT)`;
  },
  UNIX_MICROS: (call, scope) => {
    arity(call, 1);
    return `epoch_us(${emitExpr(call.args[0]!, scope)})`;
  },
  TIMESTAMP_SECONDS: (call, scope) => {
    arity(call, 1);
    return `CAST(make_timestamp(CAST(${emitExpr(call.args[0]!, scope)} AS BIGINT) * 1000000) AS TIMESTAMPTZ)`;
  },
  TIMESTAMP_MILLIS: (call, scope) => {
    arity(call, 1);
    return `CAST(make_timestamp(CAST(${emitExpr(call.args[0]!, scope)} AS BIGINT) * 1000) AS TIMESTAMPTZ)`;
  },
  TIMESTAMP_MICROS: (call, scope) => {
    arity(call, 1);
    return `CAST(make_timestamp(CAST(${emitExpr(call.args[0]!, scope)} AS BIGINT)) AS TIMESTAMPTZ)`;
  },
  FORMAT_DATE: (call, scope) => format(call, scope, 'DATE'),
  FORMAT_DATETIME: (call, scope) => format(call, scope, 'TIMESTAMP'),
  FORMAT_TIMESTAMP: (call, scope) => format(call, scope, 'TIMESTAMPTZ'),
  PARSE_DATE: (call, scope) => parse(call, scope, 'DATE'),
  PARSE_DATETIME: (call, scope) => parse(call, scope, 'TIMESTAMP'),
  PARSE_TIMESTAMP: (call, scope) => parse(call, scope, 'TIMESTAMPTZ'),
  // TIME values go through a TIMESTAMP on 1970-01-01, which DuckDB's date functions take.
  FORMAT_TIME: (call, scope) => {
    arity(call, 2);
    return translateFormat(
      literalFormat(call),
      onEpochDay(emitExpr(call.args[1]!, scope)),
      call.args[0]!.pos,
      false,
    );
  },
  PARSE_TIME: (call, scope) => `CAST(${parse(call, scope, 'TIMESTAMP')} AS TIME)`,
  TIME_TRUNC: (call, scope) => {
    arity(call, 2);
    const part = partArg(call.args[1], call);
    if (!TIME_PARTS.has(part) || part === 'DAY')
      throw invalidQuery(`Unsupported date part ${part} for TIME_TRUNC`, call.args[1]!.pos);
    return `CAST(${truncate(part, onEpochDay(emitExpr(call.args[0]!, scope)), call.pos)} AS TIME)`;
  },
  TIME_ADD: (call, scope) => timeInterval(call, scope, '+'),
  TIME_SUB: (call, scope) => timeInterval(call, scope, '-'),
  TIME_DIFF: (call, scope) => {
    arity(call, 3);
    const part = partArg(call.args[2], call);
    if (!TIME_PARTS.has(part) || part === 'DAY')
      throw invalidQuery(`Unsupported date part ${part} for TIME_DIFF`, call.args[2]!.pos);
    const [a, b] = [call.args[0]!, call.args[1]!].map((arg) => onEpochDay(emitExpr(arg, scope)));
    return `date_sub('${part.toLowerCase()}', ${b}, ${a})`;
  },
};

/** A TIME as the TIMESTAMP of that time on 1970-01-01. */
function onEpochDay(time: string): string {
  return `(DATE '1970-01-01' + CAST(${time} AS TIME))`;
}

/** TIME_ADD / TIME_SUB: wraps around midnight, as BigQuery's do. */
function timeInterval(call: FunctionCall, scope: EmitScope, sign: '+' | '-'): string {
  arity(call, 2);
  const interval = call.args[1]!;
  if (interval.kind !== 'interval')
    throw invalidQuery(`${call.name} takes an INTERVAL as its second argument`, interval.pos);
  const part = interval.part.name.toUpperCase();
  if (!TIME_PARTS.has(part) || part === 'DAY')
    throw invalidQuery(`Unsupported date part ${part} for ${call.name}`, interval.part.pos);
  return `CAST(${onEpochDay(emitExpr(call.args[0]!, scope))} ${sign} ${emitInterval(interval.value, interval.part, scope)} AS TIME)`;
}

const DATE_PARTS = new Set(['DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR']);
const TIME_PARTS = new Set(['MICROSECOND', 'MILLISECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY']);

function addInterval(
  call: FunctionCall,
  scope: EmitScope,
  type: 'DATE' | 'TIMESTAMP' | 'TIMESTAMPTZ',
  sign: '+' | '-',
): string {
  arity(call, 2);
  const interval = call.args[1]!;
  if (interval.kind !== 'interval')
    throw invalidQuery(`${call.name} takes an INTERVAL as its second argument`, interval.pos);
  const part = interval.part.name.toUpperCase();
  const allowed =
    type === 'DATE'
      ? DATE_PARTS
      : type === 'TIMESTAMPTZ'
        ? TIME_PARTS
        : new Set([...DATE_PARTS, ...TIME_PARTS]);
  if (!allowed.has(part))
    throw invalidQuery(`Unsupported date part ${part} for ${call.name}`, interval.part.pos);
  const value = `CAST(${emitExpr(call.args[0]!, scope)} AS ${type})`;
  return `CAST(${value} ${sign} ${emitInterval(interval.value, interval.part, scope)} AS ${type})`;
}

function difference(
  call: FunctionCall,
  scope: EmitScope,
  type: 'DATE' | 'TIMESTAMP' | 'TIMESTAMPTZ',
): string {
  arity(call, 3);
  const a = `CAST(${emitExpr(call.args[0]!, scope)} AS ${type})`;
  const b = `CAST(${emitExpr(call.args[1]!, scope)} AS ${type})`;
  const part = partArg(call.args[2], call);
  if (type === 'TIMESTAMPTZ') {
    // Whole parts elapsed (BigQuery's TIMESTAMP_DIFF), for parts of a fixed length.
    if (!TIME_PARTS.has(part))
      throw invalidQuery(`Unsupported date part ${part} for TIMESTAMP_DIFF`, call.args[2]!.pos);
    return `date_sub('${part.toLowerCase()}', ${b}, ${a})`;
  }
  // Part boundaries crossed (DATE_DIFF, DATETIME_DIFF); weeks start on Sunday unless said otherwise.
  const weekday =
    part === 'ISOWEEK' ? 'MONDAY' : part === 'WEEK' ? 'SUNDAY' : /^WEEK\((\w+)\)$/.exec(part)?.[1];
  if (weekday !== undefined) {
    // DuckDB counts whole weeks; BigQuery counts the week starts crossed.
    const shift = DAYS.indexOf(weekday);
    if (shift < 0) throw invalidQuery(`A valid date part name is required but found ${part}`, call.pos);
    const start = (x: string) => truncate(weekday === 'SUNDAY' ? 'WEEK' : `WEEK(${weekday})`, x, call.pos);
    return `(date_diff('day', ${start(b)}, ${start(a)}) // 7)`;
  }
  const parts = type === 'DATE' ? DATE_PARTS : new Set([...DATE_PARTS, ...TIME_PARTS]);
  if (!parts.has(part) && part !== 'ISOYEAR')
    throw invalidQuery(`Unsupported date part ${part} for ${call.name}`, call.args[2]!.pos);
  if (part === 'ISOYEAR') return `(isoyear(${a}) - isoyear(${b}))`;
  return `date_diff('${part.toLowerCase()}', ${b}, ${a})`;
}

/** The format elements strftime writes as BigQuery does, element → strftime text. */
const STRFTIME_ELEMENTS: Record<string, string> = {
  a: '%a',
  A: '%A',
  b: '%b',
  B: '%B',
  h: '%b',
  d: '%d',
  H: '%H',
  I: '%I',
  j: '%j',
  m: '%m',
  M: '%M',
  p: '%p',
  S: '%S',
  U: '%U',
  w: '%w',
  W: '%W',
  y: '%y',
  Y: '%Y',
  G: '%G',
  V: '%V',
  u: '%u',
  F: '%Y-%m-%d',
  T: '%H:%M:%S',
  X: '%H:%M:%S',
  D: '%m/%d/%y',
  x: '%m/%d/%y',
  R: '%H:%M',
  c: '%a %b %-d %H:%M:%S %Y',
  '%': '%%',
  n: '\n',
  t: '\t',
  E3S: '%S.%g',
  E6S: '%S.%f',
  'E*S': '%S.%f',
};

/**
 * A BigQuery format string as pieces: runs of strftime text, and the elements strftime has no
 * equivalent of as SQL over the value (`x`).
 */
function translateFormat(format: string, x: string, at: Pos, zoned: boolean): string {
  const pieces: string[] = [];
  let run = '';
  const flush = () => {
    if (run !== '') pieces.push(`strftime(${x}, ${sqlString(run)})`);
    run = '';
  };
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      run += ch;
      continue;
    }
    let element = format[i + 1] ?? '';
    if (element === 'E') {
      const match = /^E(\d|\*)S/.exec(format.slice(i + 1));
      if (!match) throw unsupported(`the format element %${format.slice(i + 1, i + 4)}`, at);
      element = match[0];
    }
    i += element.length;
    const direct = STRFTIME_ELEMENTS[element];
    if (element === 'E*S') {
      flush();
      pieces.push(`regexp_replace(regexp_replace(strftime(${x}, '%S.%f'), '0+$', ''), '\\.$', '')`);
    } else if (/^E\dS$/.test(element) && direct === undefined) {
      const digits = Number(element[1]);
      flush();
      pieces.push(
        digits === 0 ? `strftime(${x}, '%S')` : `substr(strftime(${x}, '%S.%f'), 1, ${3 + digits})`,
      );
    } else if (direct !== undefined) {
      run += direct;
    } else if (element === 'e' || element === 'k' || element === 'l') {
      const spec = element === 'e' ? '%-d' : element === 'k' ? '%-H' : '%-I';
      flush();
      pieces.push(`lpad(strftime(${x}, '${spec}'), 2, ' ')`);
    } else if (element === 'C') {
      flush();
      pieces.push(`lpad(CAST(year(${x}) // 100 AS VARCHAR), 2, '0')`);
    } else if (element === 'Q') {
      flush();
      pieces.push(`CAST(quarter(${x}) AS VARCHAR)`);
    } else if (element === 's') {
      flush();
      pieces.push(`CAST(CAST(floor(epoch(${x})) AS BIGINT) AS VARCHAR)`);
    } else if (element === 'z' || element === 'Z') {
      if (zoned) throw unsupported(`%${element} with a time zone argument`, at);
      run += element === 'z' ? '+0000' : 'UTC';
    } else {
      throw unsupported(`the format element %${element}`, at);
    }
  }
  flush();
  if (pieces.length === 0) return "''";
  return pieces.length === 1 ? pieces[0]! : `(${pieces.join(' || ')})`;
}

function literalFormat(call: FunctionCall): string {
  const arg = call.args[0]!;
  if (arg.kind !== 'string') throw unsupported(`a ${call.name} format that is not a string literal`, arg.pos);
  return arg.value;
}

function format(call: FunctionCall, scope: EmitScope, type: 'DATE' | 'TIMESTAMP' | 'TIMESTAMPTZ'): string {
  arity(call, 2, type === 'TIMESTAMPTZ' ? 3 : 2);
  let value = `CAST(${emitExpr(call.args[1]!, scope)} AS ${type})`;
  const zone = timeZoneArg(call, 2, scope);
  if (zone) value = `timezone(${zone}, ${value})`;
  return translateFormat(literalFormat(call), value, call.args[0]!.pos, zone !== undefined);
}

/** The parse elements strptime reads as BigQuery does. */
const STRPTIME_ELEMENTS: Record<string, string> = {
  a: '%a',
  A: '%A',
  b: '%b',
  B: '%B',
  h: '%b',
  d: '%d',
  e: '%d',
  H: '%H',
  k: '%H',
  I: '%I',
  l: '%I',
  j: '%j',
  m: '%m',
  M: '%M',
  p: '%p',
  S: '%S',
  y: '%y',
  Y: '%Y',
  F: '%Y-%m-%d',
  T: '%H:%M:%S',
  D: '%m/%d/%y',
  R: '%H:%M',
  z: '%z',
  Z: '%Z',
  '%': '%%',
  E6S: '%S.%f',
  E3S: '%S.%g',
  n: '\n',
  t: '\t',
};

function parse(call: FunctionCall, scope: EmitScope, type: 'DATE' | 'TIMESTAMP' | 'TIMESTAMPTZ'): string {
  arity(call, 2, type === 'TIMESTAMPTZ' ? 3 : 2);
  const format = literalFormat(call);
  let translated = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%') {
      translated += ch === '%' ? '%%' : ch;
      continue;
    }
    const element = format[i + 1] === 'E' ? format.slice(i + 1, i + 4) : (format[i + 1] ?? '');
    const direct = STRPTIME_ELEMENTS[element];
    if (direct === undefined) throw unsupported(`the parse element %${element}`, call.args[0]!.pos);
    translated += direct;
    i += element.length;
  }
  const parsed = `strptime(${emitExpr(call.args[1]!, scope)}, ${sqlString(translated)})`;
  const zone = timeZoneArg(call, 2, scope);
  if (type === 'DATE') return `CAST(${parsed} AS DATE)`;
  if (type === 'TIMESTAMP') return `CAST(${parsed} AS TIMESTAMP)`;
  if (/%[zZ]/.test(translated)) return `CAST(${parsed} AS TIMESTAMPTZ)`;
  return zone ? `timezone(${zone}, ${parsed})` : `CAST(${parsed} AS TIMESTAMPTZ)`;
}
