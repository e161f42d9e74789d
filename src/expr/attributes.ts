import { OperatorError } from './operators.js';
import { UNDEFINED } from './scope.js';
import { equals, isMap, numberOf, toText, typeName } from './values.js';

/**
 * `object.name` and `object[key]`: a key of a map, an index of a list, a property of a date.
 * Returns UNDEFINED when there is none (strict variables decide what that means).
 */
export function getAttribute(object: unknown, key: unknown): unknown {
  if (object === null || object === undefined) return UNDEFINED;
  if (Array.isArray(object)) {
    const index = numberOf(key) ?? (typeof key === 'string' && /^\d+$/.test(key) ? Number(key) : undefined);
    if (index === undefined || !Number.isInteger(index) || index < 0 || index >= object.length)
      return UNDEFINED;
    return object[index];
  }
  const name = typeof key === 'string' ? key : toText(key);
  if (isMap(object)) return Object.prototype.hasOwnProperty.call(object, name) ? object[name] : UNDEFINED;
  if (typeof object === 'object' && name in object) {
    const value = (object as Record<string, unknown>)[name];
    if (typeof value !== 'function') return value;
  }
  return UNDEFINED;
}

/** The keys an object has, for "did you mean" in messages. */
export function attributeNames(object: unknown): string[] {
  if (isMap(object)) return Object.keys(object);
  return [];
}

type Method = (self: never, args: unknown[]) => unknown;

const STRING_METHODS: Record<string, Method> = {
  length: (s: string) => s.length,
  toUpperCase: (s: string) => s.toUpperCase(),
  toLowerCase: (s: string) => s.toLowerCase(),
  trim: (s: string) => s.trim(),
  strip: (s: string) => s.trim(),
  isEmpty: (s: string) => s.length === 0,
  isBlank: (s: string) => s.trim().length === 0,
  contains: (s: string, [x]) => s.includes(toText(x)),
  startsWith: (s: string, [x]) => s.startsWith(toText(x)),
  endsWith: (s: string, [x]) => s.endsWith(toText(x)),
  indexOf: (s: string, [x]) => s.indexOf(toText(x)),
  lastIndexOf: (s: string, [x]) => s.lastIndexOf(toText(x)),
  charAt: (s: string, [i]) => s.charAt(numberOf(i) ?? 0),
  substring: (s: string, [from, to]) => s.substring(numberOf(from) ?? 0, numberOf(to) ?? s.length),
  replace: (s: string, [a, b]) => s.split(toText(a)).join(toText(b)),
  replaceAll: (s: string, [a, b]) => s.replace(new RegExp(toText(a), 'g'), toText(b)),
  split: (s: string, [sep]) => s.split(new RegExp(toText(sep))),
  matches: (s: string, [pattern]) => new RegExp(`^(?:${toText(pattern)})$`).test(s),
  equals: (s: string, [x]) => s === x,
  equalsIgnoreCase: (s: string, [x]) => typeof x === 'string' && s.toLowerCase() === x.toLowerCase(),
  concat: (s: string, [x]) => s + toText(x),
  toString: (s: string) => s,
};

const LIST_METHODS: Record<string, Method> = {
  size: (l: unknown[]) => l.length,
  isEmpty: (l: unknown[]) => l.length === 0,
  get: (l: unknown[], [i]) => l[numberOf(i) ?? -1] ?? null,
  contains: (l: unknown[], [x]) => l.some((y) => equals(x, y)),
  indexOf: (l: unknown[], [x]) => l.findIndex((y) => equals(x, y)),
  toString: (l: unknown[]) => toText(l),
};

const MAP_METHODS: Record<string, Method> = {
  size: (m: Record<string, unknown>) => Object.keys(m).length,
  isEmpty: (m: Record<string, unknown>) => Object.keys(m).length === 0,
  get: (m: Record<string, unknown>, [k]) => m[toText(k)] ?? null,
  getOrDefault: (m: Record<string, unknown>, [k, d]) => (toText(k) in m ? m[toText(k)] : d),
  containsKey: (m: Record<string, unknown>, [k]) => toText(k) in m,
  containsValue: (m: Record<string, unknown>, [v]) => Object.values(m).some((x) => equals(x, v)),
  keySet: (m: Record<string, unknown>) => Object.keys(m),
  values: (m: Record<string, unknown>) => Object.values(m),
  toString: (m: Record<string, unknown>) => toText(m),
};

/**
 * `object.method(args)`: the Java methods Kestra flows use on strings, lists and maps
 * (`name.toUpperCase()`, `list.size()`, `map.containsKey('a')`). Others are refused clearly.
 */
export function callMethod(object: unknown, name: string, args: unknown[]): unknown {
  let table: Record<string, Method> | undefined;
  if (typeof object === 'string') table = STRING_METHODS;
  else if (Array.isArray(object)) table = LIST_METHODS;
  else if (isMap(object)) table = MAP_METHODS;
  const method = table?.[name];
  if (method) return (method as (self: unknown, args: unknown[]) => unknown)(object, args);
  if (name === 'toString') return toText(object);
  if (numberOf(object) !== undefined && ['intValue', 'longValue'].includes(name))
    return Math.trunc(numberOf(object)!);
  if (numberOf(object) !== undefined && name === 'doubleValue') return numberOf(object);
  throw new OperatorError(`the method \`${name}()\` is not available on ${typeName(object)}`);
}
