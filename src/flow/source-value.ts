import jsYaml from 'js-yaml';
import { MAX_BRACKET_DEPTH, bracketNestingOffset, linePosOf } from './source-text.js';
import { checkTree, MAX_ALIAS_EXPANSION, TreeValueError, treeValue } from './source-tree.js';
import { MAX_YAML_DEPTH, parsePositionedYaml } from './source-yaml.js';

/**
 * Reading YAML text into values, linear and bounded whatever the text: js-yaml first (fast, and
 * it refuses nesting past 100 levels itself), the careful parser of source-yaml.ts when js-yaml
 * fails or the text uses anchors (js-yaml would share aliased values without limit).
 */

// YAML 1.2 core schema (as the `yaml` package reads it: `2024-02-05` stays a string) plus `<<`.
// (js-yaml exports `types` at run time; its type definitions omit it.)
const mergeType = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge;
const FAST_SCHEMA = jsYaml.CORE_SCHEMA.extend({ implicit: [mergeType] });

// js-yaml shares an aliased value rather than copying it, but copies the keys of a merged map
// (`<<: *base`) each time: with few aliases that stays linear; with more, the careful parser,
// which counts what every alias adds before building anything.
const MAX_FAST_ALIASES = 16;
// Something that may be an alias: `*name` at the start of a node (after a space, a flow
// indicator or the start of the text). Cron expressions (`*/5`) count too; harmless.
const ALIAS_LIKE = /(?<![^\s,[{])\*[^\s,[\]{}]/g;

/**
 * The values of every document of a text read by js-yaml, or undefined when js-yaml cannot read
 * it, or its aliases are too many, recursive, too deep or expand too much (then the careful
 * parser must read it, and it says where the problem is).
 */
export function readFast(text: string): unknown[] | undefined {
  const aliases = countAliasLike(text, MAX_FAST_ALIASES + 1);
  if (aliases > MAX_FAST_ALIASES) return undefined;
  let values: unknown[];
  try {
    values = jsYaml.loadAll(text, undefined, { schema: FAST_SCHEMA });
  } catch {
    return undefined; // the careful parser will say what is wrong, and where
  }
  return aliases === 0 || withinLimits(values) ? values : undefined;
}

function countAliasLike(text: string, stopAt: number): number {
  let count = 0;
  ALIAS_LIKE.lastIndex = 0;
  while (count < stopAt && ALIAS_LIKE.exec(text)) count++;
  return count;
}

/**
 * Whether values read by js-yaml, where aliases are shared objects, hold no cycle (an alias
 * inside its own anchor), nest at most MAX_YAML_DEPTH deep once aliases are expanded, and
 * expand to at most MAX_ALIAS_EXPANSION more values than they hold. Linear in the values.
 */
function withinLimits(values: unknown[]): boolean {
  const sizes = new Map<object, number>();
  const heights = new Map<object, number>();
  const open = new Set<object>();
  let expansion = 0;
  // The size of a value (its count of values once aliases are expanded) and its height; or
  // undefined when a limit is passed. `depth`: the collections around it.
  const measure = (value: unknown, depth: number): { size: number; height: number } | undefined => {
    if (value === null || typeof value !== 'object') return { size: 1, height: 0 };
    if (open.has(value)) return undefined;
    const size = sizes.get(value);
    if (size !== undefined) {
      const height = heights.get(value)!;
      expansion += size;
      return expansion > MAX_ALIAS_EXPANSION || depth + height > MAX_YAML_DEPTH
        ? undefined
        : { size, height };
    }
    if (depth + 1 > MAX_YAML_DEPTH) return undefined;
    open.add(value);
    let total = 1;
    let height = 1;
    for (const child of Object.values(value)) {
      const measured = measure(child, depth + 1);
      if (!measured) return undefined;
      total = Math.min(total + measured.size, MAX_ALIAS_EXPANSION + 1);
      height = Math.max(height, measured.height + 1);
    }
    open.delete(value);
    sizes.set(value, total);
    heights.set(value, height);
    return { size: total, height };
  };
  return values.every((value) => measure(value, 0) !== undefined);
}

/** A YAML value, or why the text does not hold one (with its 1-based line and column). */
export type YamlValue = { value: unknown } | { error: string; line: number; column: number };

/**
 * The value of a YAML text that is not a flow (an input of type YAML, the `yaml()` function):
 * its only document (`first`: its first one), null when it has none.
 */
export function readYamlValue(text: string, documents: 'only' | 'first' = 'only'): YamlValue {
  const fail = (offset: number, error: string): YamlValue => {
    const { line, col } = linePosOf(text, offset);
    return { error, line, column: col };
  };
  const bracketsAt = bracketNestingOffset(text);
  if (bracketsAt !== undefined)
    return fail(bracketsAt, `brackets are nested more than ${MAX_BRACKET_DEPTH} levels deep`);
  const several = (count: number) =>
    fail(0, `the text holds ${count} YAML documents (separated by \`---\`), not one`);

  const fast = readFast(text);
  if (fast) {
    if (documents === 'only' && fast.length > 1) return several(fast.length);
    return { value: fast[0] ?? null };
  }
  const parsed = parsePositionedYaml(text);
  if ('tooDeepAt' in parsed)
    return fail(parsed.tooDeepAt, `the YAML is nested more than ${MAX_YAML_DEPTH} levels deep`);
  if (documents === 'only' && parsed.documents.length > 1) return several(parsed.documents.length);
  const doc = parsed.documents[0];
  if (!doc) return { value: null };
  const error = doc.errors[0];
  if (error) return fail(error.pos[0], firstLine(error.message));
  const issue = checkTree(doc)[0];
  if (issue) return fail(issue.offset, issue.message);
  try {
    return { value: treeValue(doc) };
  } catch (thrown) {
    if (thrown instanceof TreeValueError) return fail(thrown.offset, thrown.message);
    throw thrown;
  }
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '').trim();
}
