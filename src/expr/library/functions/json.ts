import { readYamlValue } from '../../../flow/source-value.js';
import { typeName } from '../../values.js';
import { defineFunction } from '../define.js';
import { booleanArg, fail } from '../filters/support.js';
import type { FunctionDefinition } from '../types.js';
import { parseIon } from './ion-parse.js';

function fromJson(name: string, json: unknown): unknown {
  if (json === null || json === undefined) return null;
  if (typeof json !== 'string') return fail(`\`${name}()\` needs a string of JSON, got ${typeName(json)}`);
  try {
    return JSON.parse(json) as unknown;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return fail(`\`${name}()\`: invalid JSON: ${error.message}`);
  }
}

function fromJsonFunction(name: string, description: string): FunctionDefinition {
  return defineFunction({
    name,
    description,
    params: ['json'],
    required: 1,
    apply: ([json]) => fromJson(name, json),
  });
}

function fromYaml(yaml: unknown): unknown {
  if (typeof yaml !== 'string') return fail(`\`yaml()\` needs a string of YAML, got ${typeName(yaml)}`);
  // Linear and bounded (duplicate keys, aliases, nesting): the text may be any size, from anywhere.
  const read = readYamlValue(yaml, 'first');
  if ('error' in read)
    return fail(`\`yaml()\`: invalid YAML: ${read.error} (line ${read.line}, column ${read.column})`);
  return read.value;
}

function fromIon(name: string, ion: unknown, allRows: unknown): unknown {
  if (ion === null || ion === undefined) return null;
  if (typeof ion !== 'string') return fail(`\`${name}()\` needs a string of Ion, got ${typeName(ion)}`);
  const all = booleanArg(name, 'allRows', allRows);
  const rows = parseIon(ion, all);
  return all ? rows : (rows[0] ?? null);
}

function fromIonFunction(name: string, description: string): FunctionDefinition {
  return defineFunction({
    name,
    description,
    params: ['ion', 'allRows'],
    required: 1,
    apply: ([ion, allRows]) => fromIon(name, ion, allRows),
  });
}

/** Parsing functions: JSON, YAML and Ion text to values. */
export const PARSE_FUNCTIONS: readonly FunctionDefinition[] = [
  fromJsonFunction('fromJson', 'The value a JSON string holds.'),
  fromJsonFunction('json', 'The value a JSON string holds (deprecated name of `fromJson()`).'),
  fromJsonFunction('jsonDecode', 'The value a JSON string holds (old name of `fromJson()`).'),
  defineFunction({
    name: 'yaml',
    description: 'The value a YAML string holds (its first document).',
    params: ['yaml'],
    required: 1,
    apply: ([yaml]) => fromYaml(yaml),
  }),
  fromIonFunction(
    'fromIon',
    'The first value of an Ion string, or all of them as a list with `allRows=true`.',
  ),
  fromIonFunction('ionDecode', 'The first value of an Ion string (old name of `fromIon()`).'),
];
