import type { FilterDefinition, FunctionDefinition, Library, TestDefinition } from './types.js';
import { TESTS } from './tests.js';
import { RENDER_FUNCTIONS } from './functions/render.js';
import { HOST_FUNCTIONS } from './functions/host.js';
import { FILTERS } from './filters/index.js';
import { FUNCTIONS } from './functions/index.js';

/** Other names of filters: the course notes write `dateFormat` for `date`. */
const FILTER_ALIASES: Readonly<Record<string, string>> = { dateFormat: 'date' };

/** Builds a library from definitions; a name defined twice is a programming error. */
export function createLibrary(
  filters: readonly FilterDefinition[],
  functions: readonly FunctionDefinition[],
  tests: readonly TestDefinition[],
): Library {
  const index = <T extends { name: string }>(defs: readonly T[], kind: string): Map<string, T> => {
    const map = new Map<string, T>();
    for (const def of defs) {
      if (map.has(def.name)) throw new Error(`${kind} ${def.name} is defined twice`);
      map.set(def.name, def);
    }
    return map;
  };
  const filterIndex = index(filters, 'filter');
  for (const [alias, target] of Object.entries(FILTER_ALIASES)) {
    const def = filterIndex.get(target);
    if (def && !filterIndex.has(alias)) filterIndex.set(alias, def);
  }
  return { filters: filterIndex, functions: index(functions, 'function'), tests: index(tests, 'test') };
}

/** Every filter, function and test of Pebble and Kestra that Windhover has. */
export const defaultLibrary: Library = createLibrary(
  FILTERS,
  [...FUNCTIONS, ...RENDER_FUNCTIONS, ...HOST_FUNCTIONS],
  TESTS,
);
