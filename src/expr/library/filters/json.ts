import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import { defineFilter } from '../define.js';
import type { FilterDefinition } from '../types.js';
import { toIonText } from './ion.js';
import { booleanArg } from './support.js';
import { toJson } from '../../values.js';

const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, indentSeq: true } as const;

let yamlPackage: typeof Yaml | undefined;

/** `yaml`'s stringify, loaded on the first `yaml` filter: most processes never render one (~30 ms). */
function stringify(value: unknown, options: typeof YAML_OPTIONS): string {
  yamlPackage ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlPackage.stringify(value, options);
}

function jsonFilter(name: string, description: string): FilterDefinition {
  return defineFilter({
    name,
    description,
    params: [],
    apply: (input) => toJson(input ?? null),
  });
}

/** Serializations: JSON (`toJson` and its old names), Ion and YAML. */
export const JSON_FILTERS: readonly FilterDefinition[] = [
  defineFilter({
    name: 'toJson',
    description:
      'The value as compact JSON; map entries whose value is null are left out unless `includeNulls` is true.',
    params: ['includeNulls'],
    apply: (input, [includeNulls]) =>
      toJson(input ?? null, booleanArg('toJson', 'includeNulls', includeNulls)),
  }),
  jsonFilter('json', 'The value as compact JSON (deprecated name of `toJson`).'),
  jsonFilter('jsonEncode', 'The value as compact JSON (old name of `toJson`).'),
  defineFilter({
    name: 'toIon',
    description: 'The value as Amazon Ion text.',
    params: [],
    apply: (input) => toIonText(input ?? null),
  }),
  defineFilter({
    name: 'yaml',
    description: 'The value as a YAML document.',
    params: [],
    apply: (input) => (input === null || input === undefined ? 'null' : stringify(input, YAML_OPTIONS)),
  }),
];
