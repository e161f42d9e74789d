import jsYaml from 'js-yaml';
import { maxExpandedWeight, stringWeight } from './source-tree.js';
import { MAX_YAML_DEPTH } from './source-yaml.js';

/**
 * The fast YAML reader: js-yaml, about 7 times faster than the `yaml` package, for texts it reads
 * the way the package does. js-yaml refuses nesting past 100 levels itself, shares an aliased
 * value rather than copying it (so aliases cost nothing here, and the values are then walked
 * once to refuse cycles, alias bombs and deep nesting), and merge keys are applied by that walk,
 * where their copies are counted (js-yaml would copy a merged map's keys once per merge).
 */

// The YAML 1.2 core schema, as the `yaml` package reads it: `2024-02-05` and `yes` stay strings.
const SCHEMA = jsYaml.CORE_SCHEMA;
const MERGE_KEY = '<<';
// A quoted `"<<"` key is a plain key, not a merge: js-yaml's values cannot tell it from `<<`.
const QUOTED_MERGE_KEY = /["']<<["']/;
// A key that is an alias or a collection (`*a: x`, `? …`, `[*a, *a]: x`): js-yaml turns such a
// key into text, an aliased value once per use (20 keys of 10,000 aliases of a 10 kB text built
// 2 GB of text from 0.6 MB). Plain text matches too (`a[0]: x`): harmless, the careful parser.
const COMPLEX_KEY =
  /(?<![^\s,[{])(?:\?(?=\s)|\*[^\s,[\]{}]+[ \t]*:(?=[\s,\]}]|$))|[\]}][ \t]*:(?=[\s,\]}]|$)/m;
// Something that may be an alias, `*name` at the start of a node (after a space, a flow
// indicator or the start of the text). Cron expressions (`*/5`) match too; harmless.
const ALIAS_LIKE = /(?<![^\s,[{])\*[^\s,[\]{}]/;

/**
 * The values of every document of a text, or undefined when the careful parser must read it:
 * js-yaml cannot (a syntax error, a duplicate key), or a text with aliases has keys that are
 * aliases or collections, or an alias is inside its own anchor or nests a value past
 * MAX_YAML_DEPTH, or the values weigh more than maxExpandedWeight once aliases are expanded (an
 * alias bomb), or a merge key is given something other than maps. The careful parser then says
 * what is wrong, and where.
 */
export function readFast(text: string): unknown[] | undefined {
  const aliases = ALIAS_LIKE.test(text);
  if (QUOTED_MERGE_KEY.test(text) || (aliases && COMPLEX_KEY.test(text))) return undefined;
  let values: unknown[];
  try {
    values = jsYaml.loadAll(text, undefined, { schema: SCHEMA });
  } catch {
    return undefined;
  }
  if (!aliases && !text.includes(MERGE_KEY)) return values;
  return settle(values, maxExpandedWeight(text.length)) ? values : undefined;
}

type Collection = Record<string, unknown> | unknown[];

/**
 * Applies the merge keys of values read by js-yaml (in place: an alias of a map with a merge
 * key is the same object) and checks the limits, in one walk, linear in the values. Returns
 * false when the values weigh more than `limit` expanded (see maxExpandedWeight), nest too
 * deeply or hold a cycle, or a merge key is given something other than maps.
 */
function settle(values: unknown[], limit: number): boolean {
  // Each walked collection's weight once aliases are expanded (capped), and its height.
  const weights = new Map<object, number>();
  const heights = new Map<object, number>();
  const open = new Set<object>();
  const cap = limit + 1;
  let total = 0;

  // The weight of a value, expanded; undefined past a limit. `depth`: the collections around it.
  const walk = (value: unknown, depth: number): number | undefined => {
    if (value === null || typeof value !== 'object') return 1 + stringWeight(value);
    if (open.has(value)) return undefined; // an alias inside its own anchor
    const known = weights.get(value);
    // Seen before: an alias, expanded by every later walk of the values.
    if (known !== undefined) return depth + heights.get(value)! > MAX_YAML_DEPTH ? undefined : known;
    if (depth + 1 > MAX_YAML_DEPTH) return undefined;
    open.add(value);
    const collection = value as Collection;
    for (const child of Object.values(collection)) if (walk(child, depth + 1) === undefined) return undefined;
    // The weight of a merge's copies counts as any alias's does.
    if (!Array.isArray(collection) && Object.prototype.hasOwnProperty.call(collection, MERGE_KEY))
      if (!merge(collection)) return undefined;
    let weight = 1;
    let height = 1;
    for (const [key, child] of Object.entries(collection)) {
      if (!Array.isArray(collection)) weight += 1 + key.length;
      if (child !== null && typeof child === 'object') {
        weight += weights.get(child) ?? 1;
        height = Math.max(height, (heights.get(child) ?? 0) + 1);
      } else weight += 1 + stringWeight(child);
      if (weight > limit) return undefined;
    }
    open.delete(value);
    weights.set(value, Math.min(cap, weight));
    heights.set(value, height);
    return weight;
  };
  for (const value of values) {
    const weight = walk(value, 0);
    if (weight === undefined) return false;
    total += weight;
    if (total > limit) return false;
  }
  return true;
}

/**
 * Applies a map's merge key as the `yaml` package does: the keys the map lacks come from the
 * maps given (earlier ones first), at the place of `<<`; a key the map writes itself keeps its
 * own value, at the merge's place when the merged maps have it. Returns false when `<<` is
 * given something other than maps.
 */
function merge(map: Record<string, unknown>): boolean {
  const given = map[MERGE_KEY];
  const sources = Array.isArray(given) ? given : [given];
  if (!sources.every(isMap)) return false;
  const entries = Object.entries(map);
  const own = new Map(entries.filter(([key]) => key !== MERGE_KEY));
  for (const [key] of entries) delete map[key];
  const put = (key: string, value: unknown) => {
    if (Object.prototype.hasOwnProperty.call(map, key)) return;
    Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  };
  for (const [key, value] of entries) {
    if (key !== MERGE_KEY) {
      put(key, value);
      continue;
    }
    for (const source of sources)
      for (const [merged, value] of Object.entries(source))
        put(merged, own.has(merged) ? own.get(merged) : value);
  }
  return true;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
