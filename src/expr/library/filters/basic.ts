import { isMap, toText } from '../../values.js';
import { defineFilter } from '../define.js';
import type { FilterDefinition } from '../types.js';

/** Placeholder set used while the full library is written: `upper`, `default`, `length`. */
export const BASIC_FILTERS: readonly FilterDefinition[] = [
  defineFilter({
    name: 'upper',
    description: 'Upper case.',
    params: [],
    apply: (input) => (input === null || input === undefined ? input : toText(input).toUpperCase()),
  }),
  defineFilter({
    name: 'default',
    description: 'The argument when the input is undefined, null, empty or blank.',
    params: ['default'],
    required: 1,
    acceptsUndefined: true,
    apply: (input, [fallback]) =>
      input === undefined ||
      input === null ||
      (typeof input === 'string' && input.trim() === '') ||
      (Array.isArray(input) && input.length === 0) ||
      (isMap(input) && Object.keys(input).length === 0)
        ? fallback
        : input,
  }),
  defineFilter({
    name: 'length',
    description: 'The length of a string, list or map.',
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) return 0;
      if (typeof input === 'string' || Array.isArray(input)) return input.length;
      if (isMap(input)) return Object.keys(input).length;
      return toText(input).length;
    },
  }),
];
