/**
 * Pebble's value semantics on JavaScript values: numbers as Java's long and double, strings,
 * booleans, null, lists (arrays), maps (plain objects) and date-time objects.
 */

/**
 * A double whose value is whole (`2.0`): Java prints it with `.0` and divides it as a double,
 * so it cannot be a plain JavaScript number, which would act as a long. Produced by decimal
 * literals and double arithmetic; filters and functions receive plain numbers.
 */
export class JavaDouble {
  constructor(readonly value: number) {}
  toString(): string {
    return javaDoubleToString(this.value);
  }
  toJSON(): number {
    return this.value;
  }
}

/** The number of a number-like value (plain number or JavaDouble), else undefined. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (value instanceof JavaDouble) return value.value;
  return undefined;
}

/** Whether a value acts as a Java double (not a long). */
export function isDouble(value: unknown): boolean {
  return value instanceof JavaDouble || (typeof value === 'number' && !Number.isInteger(value));
}

/** A double result: a whole value stays a JavaDouble so it prints and divides as Java's. */
export function makeDouble(n: number): number | JavaDouble {
  return Number.isInteger(n) ? new JavaDouble(n) : n;
}

/** Replaces JavaDoubles by plain numbers, deeply (before a value leaves the evaluator). */
export function plain(value: unknown): unknown {
  if (value instanceof JavaDouble) return value.value;
  if (Array.isArray(value)) return value.some(needsPlain) ? value.map(plain) : value;
  if (isMap(value) && Object.values(value).some(needsPlain)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = plain(v);
    return out;
  }
  return value;
}

function needsPlain(value: unknown): boolean {
  return value instanceof JavaDouble || (typeof value === 'object' && value !== null);
}

/** Java's `Double.toString`: `1.0`, `1.5`, `1.0E7`, `1.0E-4`, `NaN`, `Infinity`. */
export function javaDoubleToString(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(n);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(n);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
  const digits = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${digits}E${exponent.replace('+', '')}`;
}

/** How Java prints a long or a double held in a JavaScript number. */
export function javaNumberToString(n: number): string {
  if (Number.isInteger(n)) {
    if (Math.abs(n) < 1e21) return String(n);
    return BigInt(n).toString();
  }
  return javaDoubleToString(n);
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

export function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

/** Pebble's truth of a value in `if`, `and`, `or`, `not` and `? :`. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  const n = numberOf(value);
  if (n !== undefined) return !Number.isNaN(n) && n !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isMap(value)) return Object.keys(value).length > 0;
  return true;
}

/** Java `equals` as Pebble applies it: numbers by value, lists and maps deeply, else identity. */
export function equals(a: unknown, b: unknown): boolean {
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== undefined && y !== undefined) return x === y;
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => equals(v, b[i]));
  if (isMap(a) && isMap(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && equals(a[k], b[k]));
  }
  if (typeof a === 'object' && typeof b === 'object' && 'equals' in a && typeof a.equals === 'function') {
    return (a as { equals(o: unknown): boolean }).equals(b);
  }
  return false;
}

/**
 * Compares two values for `<`, `>`, `<=`, `>=`: numbers, strings (Kestra compares strings
 * lexicographically), or date-times (by instant). Throws a message for anything else.
 */
export function compare(a: unknown, b: unknown): number {
  const x = numberOf(a);
  const y = numberOf(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const ta = comparableTime(a);
  const tb = comparableTime(b);
  if (ta !== undefined && tb !== undefined) return ta < tb ? -1 : ta > tb ? 1 : 0;
  throw new TypeError(`cannot compare ${typeName(a)} with ${typeName(b)}`);
}

function comparableTime(value: unknown): number | undefined {
  if (
    typeof value === 'object' &&
    value !== null &&
    'epochMillis' in value &&
    typeof value.epochMillis === 'number'
  ) {
    return value.epochMillis;
  }
  return undefined;
}

/** A value's type in messages: `a string`, `a number`, `a list`, `a map`, `null`. */
export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return 'a string';
  if (numberOf(value) !== undefined) return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  if (Array.isArray(value)) return 'a list';
  if (isMap(value)) return 'a map';
  return `a ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'value'}`;
}

/** The text a value renders to: maps and lists as JSON, numbers as Java prints them, null as nothing. */
export function toText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return javaNumberToString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return '';
    case 'bigint':
      return value.toString();
    default:
      if (value === null) return '';
      if (Array.isArray(value) || isMap(value)) return toJson(value);
      // Date-time values and other objects of the library print themselves (Java's toString).
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      return String(value);
  }
}

/**
 * JSON as Kestra's Jackson mapper writes it (its output of maps and lists): compact, Java
 * numbers, and map entries whose value is null left out unless `includeNulls`.
 */
export function toJson(value: unknown, includeNulls = false): string {
  if (value === undefined) return 'null';
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    if (!includeNulls && isMap(v) && Object.values(v).includes(null)) {
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v)) if (item !== null) out[k] = item;
      return out;
    }
    return v;
  });
  return text ?? 'null';
}
