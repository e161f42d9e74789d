import {
  compare,
  equals,
  isDouble,
  isMap,
  makeDouble,
  numberOf,
  toText,
  truthy,
  typeName,
} from './values.js';

/** Raised for operands an operator cannot take; the compiler adds the position. */
export class OperatorError extends Error {}

type Arithmetic = '+' | '-' | '*' | '/' | '%';

/** `+ - * / %` with Java's binary numeric promotion: long unless a double is involved. */
export function arithmetic(op: Arithmetic, a: unknown, b: unknown): unknown {
  if (op === '+') {
    if (typeof a === 'string' || typeof b === 'string') return toText(a) + toText(b);
    if (Array.isArray(a))
      return Array.isArray(b) ? [...(a as unknown[]), ...(b as unknown[])] : [...(a as unknown[]), b];
  }
  if (op === '-' && Array.isArray(a)) {
    return Array.isArray(b) ? a.filter((x) => !b.some((y) => equals(x, y))) : a.filter((x) => !equals(x, b));
  }
  const x = numberOf(a);
  const y = numberOf(b);
  if (x === undefined || y === undefined) {
    throw new OperatorError(`\`${op}\` needs two numbers, got ${typeName(a)} and ${typeName(b)}`);
  }
  if (isDouble(a) || isDouble(b)) {
    switch (op) {
      case '+':
        return makeDouble(x + y);
      case '-':
        return makeDouble(x - y);
      case '*':
        return makeDouble(x * y);
      case '/':
        return makeDouble(x / y);
      case '%':
        return makeDouble(x % y);
    }
  }
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      if (y === 0) throw new OperatorError('division by zero');
      return Math.trunc(x / y);
    case '%':
      if (y === 0) throw new OperatorError('division by zero');
      return x % y;
  }
}

/** `<`, `>`, `<=`, `>=`: numbers, strings or date-times. Null on either side is false, as in Pebble. */
export function comparison(op: string, a: unknown, b: unknown): boolean {
  if (a === null || b === null) return false;
  let order: number;
  try {
    order = compare(a, b);
  } catch (error) {
    throw new OperatorError(error instanceof Error ? error.message : String(error));
  }
  switch (op) {
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    default:
      return order >= 0;
  }
}

/** Pebble's `contains`: an item of a list, a key of a map, a substring of a string. */
export function contains(container: unknown, item: unknown): boolean {
  if (container === null || container === undefined) return false;
  if (Array.isArray(container)) {
    return Array.isArray(item)
      ? item.every((i) => container.some((c) => equals(c, i)))
      : container.some((c) => equals(c, item));
  }
  if (isMap(container))
    return Array.isArray(item) ? item.every((k) => String(k) in container) : toText(item) in container;
  if (typeof container === 'string') return container.includes(toText(item));
  throw new OperatorError(
    `\`contains\` needs a list, a map or a string on its left, got ${typeName(container)}`,
  );
}

/** Kestra's `in`: compares as text, against the items of a list or the keys and values of a map. */
export function isIn(item: unknown, container: unknown): boolean {
  if (item === null || item === undefined || container === null || container === undefined) return false;
  const text = toText(item);
  if (Array.isArray(container)) return container.some((c) => toText(c) === text);
  if (isMap(container)) return Object.entries(container).some(([k, v]) => k === text || toText(v) === text);
  return false;
}

/** Most items a range may have (`1..1000000`); more is almost certainly a mistake. */
export const MAX_RANGE = 1_000_000;

/** `a..b`: the integers from a to b, both included (descending when a > b). */
export function range(a: unknown, b: unknown): number[] {
  const from = numberOf(a);
  const to = numberOf(b);
  if (from === undefined || to === undefined || !Number.isInteger(from) || !Number.isInteger(to)) {
    throw new OperatorError(`\`..\` needs two integers, got ${typeName(a)} and ${typeName(b)}`);
  }
  const size = Math.abs(to - from) + 1;
  if (size > MAX_RANGE) throw new OperatorError(`the range ${from}..${to} has more than ${MAX_RANGE} items`);
  const step = from <= to ? 1 : -1;
  return Array.from({ length: size }, (_, i) => from + i * step);
}

export function negate(value: unknown): unknown {
  return arithmetic('*', -1, value);
}

export { truthy };
