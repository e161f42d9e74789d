import { isMap, numberOf } from '../values.js';
import { defineTest } from './define.js';
import type { TestDefinition } from './types.js';

/** Pebble's tests (`x is defined`, `x is not empty`…) and Kestra's `json`. */
export const TESTS: readonly TestDefinition[] = [
  defineTest({
    name: 'defined',
    description: 'The variable or attribute exists (it may be null).',
    params: [],
    acceptsUndefined: true,
    apply: (input) => input !== undefined,
  }),
  defineTest({
    name: 'null',
    description: 'The value is null.',
    params: [],
    apply: (input) => input === null,
  }),
  defineTest({
    name: 'empty',
    description: 'Null, a blank string, an empty list or an empty map.',
    params: [],
    apply: (input) =>
      input === null ||
      input === undefined ||
      (typeof input === 'string' && input.trim() === '') ||
      (Array.isArray(input) && input.length === 0) ||
      (isMap(input) && Object.keys(input).length === 0),
  }),
  defineTest({
    name: 'even',
    description: 'An even integer.',
    params: [],
    apply: (input) => {
      const n = numberOf(input);
      return n !== undefined && Number.isInteger(n) && n % 2 === 0;
    },
  }),
  defineTest({
    name: 'odd',
    description: 'An odd integer.',
    params: [],
    apply: (input) => {
      const n = numberOf(input);
      return n !== undefined && Number.isInteger(n) && Math.abs(n % 2) === 1;
    },
  }),
  defineTest({
    name: 'iterable',
    description: 'A list.',
    params: [],
    apply: (input) => Array.isArray(input),
  }),
  defineTest({
    name: 'map',
    description: 'A map.',
    params: [],
    apply: (input) => isMap(input),
  }),
  defineTest({
    name: 'json',
    description: 'A string that holds valid JSON.',
    params: [],
    apply: (input) => {
      if (typeof input !== 'string') return false;
      try {
        JSON.parse(input);
        return true;
      } catch {
        return false;
      }
    },
  }),
];
