import { isMap, javaNumberToString, numberOf, typeName } from '../../values.js';
import { CallError } from '../types.js';

/** Throws the CallError of a filter or function: the message is shown to the user as is. */
export function fail(message: string): never {
  throw new CallError(message);
}

/** The input as a string, as Java's `(String) input` cast: anything else is refused. */
export function stringInput(name: string, input: unknown): string {
  if (typeof input === 'string') return input;
  return fail(`\`${name}\` needs a string, got ${typeName(input)}`);
}

/** A whole-number argument (Java's `(Long) arg`), or the fallback when it is not given. */
export function wholeArg(name: string, param: string, value: unknown, fallback?: number): number {
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  const n = numberOf(value);
  if (n === undefined || !Number.isInteger(n)) {
    return fail(`\`${name}\` needs a whole number as \`${param}\`, got ${typeName(value)}`);
  }
  return n;
}

/** A string argument (Java's `(String) arg`), or the fallback when it is not given. */
export function stringArg(name: string, param: string, value: unknown, fallback?: string): string {
  if ((value === undefined || value === null) && fallback !== undefined) return fallback;
  if (typeof value === 'string') return value;
  return fail(`\`${name}\` needs a string as \`${param}\`, got ${typeName(value)}`);
}

/** A boolean argument (Java's `(Boolean) arg`), false when it is not given. */
export function booleanArg(name: string, param: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  return fail(`\`${name}\` needs \`true\` or \`false\` as \`${param}\`, got ${typeName(value)}`);
}

/**
 * Java's `String.valueOf(value)`, what Pebble gets from `input.toString()`: lists as `[a, b]`,
 * maps as `{k=v}`, null as `null`, numbers as Java prints them.
 */
export function javaString(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return javaNumberToString(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
      if (isMap(value)) {
        return `{${Object.entries(value)
          .map(([k, v]) => `${k}=${javaString(v)}`)
          .join(', ')}}`;
      }
      return (value as { toString(): string }).toString();
  }
}
