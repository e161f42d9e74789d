import { createRequire } from 'node:module';
import { defineFilter } from '../define.js';
import type { CallContext, FilterDefinition } from '../types.js';
import { fail, stringArg } from './support.js';
import { toJson } from '../../values.js';

/** jq-web: the real jq (1.7) compiled to WebAssembly; `raw` runs synchronously once loaded. */
interface JqRuntime {
  raw(json: string, program: string, flags?: string[]): string | undefined;
}

// jq-web is a CommonJS module whose export is a promise of the runtime (it has no types). Its
// wasm takes ~20 MB and ~100 ms to load, so it is loaded on first use, not at import.
let jq: JqRuntime | undefined;
let loading: Promise<JqRuntime> | undefined;

/** The jq runtime; the first call suspends the (async) render while it loads. */
function jqRuntime(call: CallContext): JqRuntime {
  if (jq) return jq;
  loading ??= (createRequire(import.meta.url)('jq-web') as Promise<JqRuntime>).then(
    (runtime) => (jq = runtime),
  );
  return call.wait('jq-runtime', () => loading!);
}

/** The message of a jq failure without the runtime's decorations. */
function jqMessage(error: Error): string {
  return error.message
    .replace(/^Non-zero exit code: \d+\n?/, '')
    .replace(/^jq: (error(?: \(at [^)]*\))?: )?/gm, '')
    .replace(/\njq: \d+ compile errors?$/, '')
    .trim();
}

/** Runs a jq program on JSON text; every result, in order. */
export function runJq(runtime: JqRuntime, json: string, program: string): unknown[] {
  let output: string | undefined;
  try {
    output = runtime.raw(json, program, ['-c']);
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    return fail(`\`jq\` failed to run \`${program}\`: ${jqMessage(error)}`);
  }
  if (!output) return [];
  return output.split('\n').map((line) => JSON.parse(line) as unknown);
}

/** The JSON text jq reads: a string is taken as JSON text (as Kestra does), anything else is serialized. */
function jsonOf(input: unknown): string {
  if (typeof input !== 'string') return toJson(input);
  try {
    JSON.parse(input);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return fail(`\`jq\` needs JSON text when given a string: ${error.message}`);
  }
  return input;
}

/** Kestra's `jq`: the list of every result of a jq program (use `| first` for one). */
export const JQ_FILTERS: readonly FilterDefinition[] = [
  defineFilter({
    name: 'jq',
    description: 'The results of a jq program on the value, as a list (`| first` for the first).',
    params: ['expression'],
    required: 1,
    apply: (input, [expression], call) => {
      if (input === null || input === undefined) return null;
      return runJq(jqRuntime(call), jsonOf(input), stringArg('jq', 'expression', expression));
    },
  }),
];
