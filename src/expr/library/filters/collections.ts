import { compare, equals, isList, isMap, numberOf, typeName } from '../../values.js';
import { defineFilter } from '../define.js';
import type { FilterDefinition } from '../types.js';
import { fail, javaString, stringArg, wholeArg } from './support.js';

function listInput(name: string, input: unknown): unknown[] {
  if (isList(input)) return input;
  return fail(`\`${name}\` needs a list, got ${typeName(input)}`);
}

/** What sorts together: numbers, strings, booleans or date-times; anything else is refused. */
function kindOf(value: unknown): string {
  if (numberOf(value) !== undefined) return 'number';
  if (typeof value === 'string' || typeof value === 'boolean') return typeof value;
  if (typeof value === 'object' && value !== null && 'epochMillis' in value) return 'date';
  return typeName(value);
}

/** A sorted copy (Java's natural order); items must all be of one comparable kind. */
function sorted(name: string, items: readonly unknown[], descending: boolean): unknown[] {
  if (items.length === 0) return [];
  const kind = kindOf(items[0]);
  for (const item of items) {
    const k = kindOf(item);
    if (k !== kind || !['number', 'string', 'boolean', 'date'].includes(k)) {
      fail(
        `\`${name}\` can only sort numbers, strings, booleans or dates of one kind, got ${typeName(items[0])} and ${typeName(item)}`,
      );
    }
  }
  const order =
    kind === 'boolean'
      ? (a: unknown, b: unknown) => Number(a) - Number(b)
      : (a: unknown, b: unknown) => compare(a, b);
  return [...items].sort(descending ? (a, b) => order(b, a) : order);
}

/** Pebble's `first`/`last`: an item of a list, a character of a string, null for an empty list. */
function endOf(name: 'first' | 'last', input: unknown): unknown {
  if (input === null || input === undefined) return null;
  if (typeof input === 'string') {
    if (input === '') fail(`\`${name}\` needs a non-empty string, got an empty one`);
    return name === 'first' ? input[0] : input[input.length - 1];
  }
  const list = listInput(name, input);
  return (name === 'first' ? list[0] : list[list.length - 1]) ?? null;
}

/** Pebble's `merge`: the input's kind (map or list) decides the result's. */
function merge(input: unknown, items: unknown): unknown {
  if (input === null || input === undefined) {
    if (items === null || items === undefined) fail('`merge` needs something to merge: both values are null');
    return items;
  }
  if (items === null || items === undefined) return input;
  if (isMap(input)) {
    if (isMap(items)) return { ...input, ...items };
    if (Array.isArray(items)) {
      const out: Record<string, unknown> = { ...input };
      for (const item of items) out[javaString(item)] = item;
      return out;
    }
    return fail(`\`merge\` can only merge a map or a list into a map, got ${typeName(items)}`);
  }
  if (isList(input)) {
    if (isList(items)) return [...input, ...items];
    if (isMap(items)) return [...input, ...Object.entries(items).map(([k, v]) => ({ [k]: v }))];
    return fail(`\`merge\` can only merge a map or a list into a list, got ${typeName(items)}`);
  }
  return fail(`\`merge\` needs a map or a list, got ${typeName(input)}`);
}

/** Pebble's `slice`: `fromIndex` (0 by default) to `toIndex` (the end by default), strictly checked. */
function slice(input: unknown, from: unknown, to: unknown): unknown {
  if (input === null || input === undefined) return null;
  const start = wholeArg('slice', 'fromIndex', from, 0);
  if (start < 0) fail(`\`slice\` needs a \`fromIndex\` of 0 or more, got ${start}`);
  if (typeof input !== 'string' && !Array.isArray(input))
    fail(`\`slice\` needs a string or a list, got ${typeName(input)}`);
  const length = input.length;
  let end = length;
  if (to !== null && to !== undefined) {
    end = wholeArg('slice', 'toIndex', to);
    if (end > length) fail(`\`slice\` needs a \`toIndex\` of at most the length, ${length}, got ${end}`);
    if (start >= end) fail(`\`slice\` needs a \`toIndex\` greater than \`fromIndex\` (${start}), got ${end}`);
  } else if (start > length) {
    fail(`\`slice\` needs a \`fromIndex\` of at most the length, ${length}, got ${start}`);
  }
  return input.slice(start, end);
}

/** Pebble's and Kestra's filters of lists and maps. */
export const COLLECTION_FILTERS: readonly FilterDefinition[] = [
  defineFilter({
    name: 'length',
    description: 'The number of characters of a string, or of items of a list or map (0 for anything else).',
    params: [],
    apply: (input) => {
      if (typeof input === 'string' || Array.isArray(input)) return input.length;
      if (isMap(input)) return Object.keys(input).length;
      return 0;
    },
  }),
  defineFilter({
    name: 'first',
    description: 'The first item of a list, or the first character of a string.',
    params: [],
    apply: (input) => endOf('first', input),
  }),
  defineFilter({
    name: 'last',
    description: 'The last item of a list, or the last character of a string.',
    params: [],
    apply: (input) => endOf('last', input),
  }),
  defineFilter({
    name: 'join',
    description: 'The items of a list as one string, with `separator` between them.',
    params: ['separator'],
    apply: (input, [separator]) => {
      if (input === null || input === undefined) return null;
      const list = listInput('join', input);
      const glue =
        separator === null || separator === undefined ? '' : stringArg('join', 'separator', separator);
      let out = '';
      for (let i = 0; i < list.length; i++) out += (i > 0 ? glue : '') + javaString(list[i]);
      return out;
    },
  }),
  defineFilter({
    name: 'keys',
    description: 'The keys of a map, or the indexes of a list.',
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) return null;
      if (isMap(input)) return Object.keys(input);
      if (Array.isArray(input)) return input.map((_, i) => i);
      return fail(`\`keys\` needs a map or a list, got ${typeName(input)}`);
    },
  }),
  defineFilter({
    name: 'values',
    description: 'The values of a map.',
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) return null;
      if (isMap(input)) return Object.values(input);
      return fail(`\`values\` needs a map, got ${typeName(input)}`);
    },
  }),
  defineFilter({
    name: 'merge',
    description: 'A map with the entries of both maps (or a list with the items of both lists).',
    params: ['items'],
    required: 1,
    apply: (input, [items]) => merge(input, items),
  }),
  defineFilter({
    name: 'reverse',
    description: 'The items of a list in reverse order.',
    params: [],
    apply: (input) =>
      input === null || input === undefined ? null : [...listInput('reverse', input)].reverse(),
  }),
  defineFilter({
    name: 'sort',
    description: 'The items of a list in ascending order.',
    params: [],
    apply: (input) =>
      input === null || input === undefined ? null : sorted('sort', listInput('sort', input), false),
  }),
  defineFilter({
    name: 'rsort',
    description: 'The items of a list in descending order.',
    params: [],
    apply: (input) =>
      input === null || input === undefined ? null : sorted('rsort', listInput('rsort', input), true),
  }),
  defineFilter({
    name: 'slice',
    description: 'The part of a list or string from `fromIndex` (included) to `toIndex` (excluded).',
    params: ['fromIndex', 'toIndex'],
    apply: (input, [from, to]) => slice(input, from, to),
  }),
  defineFilter({
    name: 'chunk',
    description: 'The items of a list in lists of `size` items (the last may be shorter).',
    params: ['size'],
    required: 1,
    apply: (input, [size]) => {
      if (input === null || input === undefined) return null;
      const list = listInput('chunk', input);
      if (numberOf(size) === undefined) fail(`\`chunk\` needs a number as \`size\`, got ${typeName(size)}`);
      const n = Math.trunc(numberOf(size)!);
      if (n <= 0) fail(`\`chunk\` needs a \`size\` of 1 or more, got ${n}`);
      const out: unknown[][] = [];
      for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
      return out;
    },
  }),
  defineFilter({
    name: 'distinct',
    description: 'The items of a list without repeats (first occurrences, in order).',
    params: [],
    apply: (input) => {
      // Kestra answers the text "null" for a null input.
      if (input === null || input === undefined) return 'null';
      const out: unknown[] = [];
      const seen = new Set<unknown>();
      for (const item of listInput('distinct', input)) {
        if (item === null || typeof item !== 'object') {
          if (!seen.has(item)) out.push(item);
          seen.add(item);
        } else if (!out.some((o) => equals(o, item))) out.push(item);
      }
      return out;
    },
  }),
  defineFilter({
    name: 'flatten',
    description: 'A list with the items of its inner lists in their place (one level).',
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) return null;
      return listInput('flatten', input).flatMap((item): unknown[] => (isList(item) ? item : [item]));
    },
  }),
];
