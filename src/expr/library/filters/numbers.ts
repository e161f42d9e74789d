import { javaNumberToString, numberOf, typeName } from '../../values.js';
import { defineFilter } from '../define.js';
import type { FilterDefinition } from '../types.js';
import { decimalFormat } from './decimal-format.js';
import { bigDecimalText, parseNumber } from './java-numbers.js';
import { fail, stringArg } from './support.js';

/** Pebble's and Kestra's number filters: `abs`, `number`, `numberFormat`, `string`. */
export const NUMBER_FILTERS: readonly FilterDefinition[] = [
  defineFilter({
    name: 'abs',
    description: 'The absolute value of a number.',
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) fail('`abs` needs a number, got null');
      const n = numberOf(input);
      if (n === undefined) fail(`\`abs\` needs a number, got ${typeName(input)}`);
      return Math.abs(n);
    },
  }),
  defineFilter({
    name: 'number',
    description:
      'The number a string holds; `type` is INT, LONG, FLOAT, DOUBLE, BIGDECIMAL or BIGINTEGER (inferred by default).',
    params: ['type'],
    apply: (input, [type]) => {
      if (input === null || input === undefined) return null;
      if (typeof input !== 'string') fail(`\`number\` needs a string, got ${typeName(input)}`);
      return parseNumber(input, stringArg('number', 'type', type, ''));
    },
  }),
  defineFilter({
    name: 'numberFormat',
    description:
      'Formats a number with a Java DecimalFormat pattern such as "#,##0.00" (default "#,##0.###").',
    params: ['format'],
    apply: (input, [format]) => {
      if (input === null || input === undefined) return null;
      const n = numberOf(input);
      if (n === undefined) fail(`\`numberFormat\` needs a number, got ${typeName(input)}`);
      return decimalFormat(n, stringArg('numberFormat', 'format', format, '#,##0.###'));
    },
  }),
  defineFilter({
    name: 'string',
    description: 'A number, or a string holding a number, as text ("1.50" stays "1.50").',
    params: [],
    apply: (input) => {
      if (input === null || input === undefined) return null;
      const n = numberOf(input);
      if (n !== undefined) return javaNumberToString(n);
      if (typeof input === 'string') {
        const text = bigDecimalText(input);
        if (text === undefined) fail(`\`string\` needs a number or a numeric string, got "${input}"`);
        return text;
      }
      return fail(`\`string\` needs a number or a numeric string, got ${typeName(input)}`);
    },
  }),
];
