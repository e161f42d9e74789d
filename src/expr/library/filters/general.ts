import { isMap } from '../../values.js';
import { defineFilter } from '../define.js';
import type { FilterDefinition } from '../types.js';

/** Pebble's `empty` test: null, a blank string, an empty list or map. */
function isEmpty(value: unknown): boolean {
  return (
    value === undefined ||
    value === null ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0) ||
    (isMap(value) && Object.keys(value).length === 0)
  );
}

/** The Java class Kestra would hold a value in. */
function javaClassName(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return 'java.lang.String';
    case 'boolean':
      return 'java.lang.Boolean';
    case 'number':
      return Number.isInteger(value) ? 'java.lang.Long' : 'java.lang.Double';
    case 'bigint':
      return 'java.math.BigInteger';
    default:
      if (Array.isArray(value)) return 'java.util.ArrayList';
      if (isMap(value)) return 'java.util.LinkedHashMap';
      return 'java.time.ZonedDateTime';
  }
}

/** Filters about any value: `default` and `className`. */
export const GENERAL_FILTERS: readonly FilterDefinition[] = [
  defineFilter({
    name: 'default',
    description: 'The argument when the input is undefined, null, empty or blank.',
    params: ['default'],
    required: 1,
    acceptsUndefined: true,
    apply: (input, [fallback]) => (isEmpty(input) ? fallback : input),
  }),
  defineFilter({
    name: 'className',
    description: 'The Java class of the value, as Kestra would hold it (for debugging).',
    params: [],
    apply: (input) => javaClassName(input),
  }),
];
