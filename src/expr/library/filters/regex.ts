import { isMap, typeName } from '../../values.js';
import { defineFilter } from '../define.js';
import type { FilterDefinition } from '../types.js';
import { javaRegex, javaReplacement, javaSplit } from './java-regex.js';
import { eachString, replaceLiteral } from './strings.js';
import { booleanArg, fail, javaString, stringArg, stringInput, wholeArg } from './support.js';

/** The `regex` argument: required, shown as Java text when it is not a string. */
function regexArg(name: string, value: unknown): RegExp {
  if (value === null || value === undefined) fail(`\`${name}\` needs the argument \`regex\``);
  return javaRegex(javaString(value), name);
}

/** Kestra's `replace`, Pebble's `split` and Kestra's regex filters (Java regular expressions). */
export const REGEX_FILTERS: readonly FilterDefinition[] = [
  defineFilter({
    name: 'replace',
    description:
      'Replaces each key of the map by its value; with `regexp=true` the keys are regular expressions. Lists and maps are replaced item by item.',
    params: ['replace_pairs', 'regexp'],
    required: 1,
    apply: (input, [pairs, regexp]) => {
      if (input === null || input === undefined) return null;
      if (pairs === null || pairs === undefined)
        fail("`replace` needs the argument `replace_pairs`, a map like {'old': 'new'}");
      if (!isMap(pairs))
        return fail(
          `\`replace\` needs a map like {'old': 'new'} as \`replace_pairs\`, got ${typeName(pairs)}`,
        );
      const entries = Object.entries(pairs).map(([k, v]) => [k, javaString(v)] as const);
      if (booleanArg('replace', 'regexp', regexp)) {
        const compiled = entries.map(
          ([k, v]) => [javaRegex(k, 'replace'), javaReplacement(v, 'replace')] as const,
        );
        return eachString(input, (s) => compiled.reduce((text, [re, by]) => text.replace(re, by), s));
      }
      return eachString(input, (s) => entries.reduce((text, [k, v]) => replaceLiteral(text, k, v), s));
    },
  }),
  defineFilter({
    name: 'split',
    description:
      'Splits a string around a regular expression (`limit`: at most that many parts; 0 drops empty trailing parts).',
    params: ['delimiter', 'limit'],
    required: 1,
    apply: (input, [delimiter, limit]) => {
      if (input === null || input === undefined) return null;
      const s = stringInput('split', input);
      const d = stringArg('split', 'delimiter', delimiter);
      return javaSplit(s, d, wholeArg('split', 'limit', limit, 0), 'split');
    },
  }),
  defineFilter({
    name: 'regexMatch',
    description: 'Whether the regular expression matches somewhere in the text.',
    params: ['regex'],
    required: 1,
    apply: (input, [regex]) => {
      if (input === null || input === undefined) return false;
      const re = regexArg('regexMatch', regex);
      re.lastIndex = 0;
      return re.test(javaString(input));
    },
  }),
  defineFilter({
    name: 'regexExtract',
    description: 'The first match of the regular expression (or of its capture `group`), null when none.',
    params: ['regex', 'group'],
    required: 1,
    apply: (input, [regex, group]) => {
      if (input === null || input === undefined) return null;
      const re = regexArg('regexExtract', regex);
      const n = wholeArg('regexExtract', 'group', group, 0);
      re.lastIndex = 0;
      const m = re.exec(javaString(input));
      if (!m) return null;
      if (n < 0 || n >= m.length) fail(`\`regexExtract\`: no group ${n} in the regex`);
      return m[n] ?? null;
    },
  }),
  defineFilter({
    name: 'regexReplace',
    description: 'Replaces every match of the regular expression (`$1`, `${name}` insert groups).',
    params: ['regex', 'replacement'],
    required: 2,
    apply: (input, [regex, replacement]) => {
      if (input === null || input === undefined) return null;
      const re = regexArg('regexReplace', regex);
      if (replacement === null || replacement === undefined)
        fail('`regexReplace` needs the argument `replacement`');
      return javaString(input).replace(re, javaReplacement(javaString(replacement), 'regexReplace'));
    },
  }),
];
