import type { PluginDefinition } from './catalog.js';
import type { PluginDefault } from './model.js';
import { isRecord } from './schema/prop.js';

/** Properties that identify a plugin; defaults never set them. */
const IDENTITY = new Set(['id', 'type']);

/** Whether a default's `type` applies to a plugin with one of these names (exact or prefix). */
export function defaultMatches(entry: PluginDefault, names: readonly string[]): boolean {
  return names.some((name) => name.startsWith(entry.type));
}

/**
 * Applies pluginDefaults to a plugin's properties. Defaults apply by exact type or by prefix;
 * a more specific default (exact, then longer prefix) wins over a less specific one. The
 * plugin's own values win over defaults, except over `forced` ones. Values the plugin does not
 * have as properties are ignored, so a prefix default never breaks a plugin it doesn't fit.
 * Maps merge key by key; lists and scalars are replaced.
 */
export function applyPluginDefaults(
  props: Record<string, unknown>,
  defaults: readonly PluginDefault[],
  names: readonly string[],
  definition: PluginDefinition,
): { props: Record<string, unknown>; fromDefaults: Set<string> } {
  const matching = defaults.filter((d) => defaultMatches(d, names));
  if (matching.length === 0) return { props, fromDefaults: new Set() };
  const specificity = (d: PluginDefault) => (names.includes(d.type) ? 10_000 : 0) + d.type.length;
  matching.sort((a, b) => specificity(a) - specificity(b));

  const applicable = (values: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(values)) {
      if (!IDENTITY.has(key) && key in definition.properties) out[key] = value;
    }
    return out;
  };

  let underneath: Record<string, unknown> = {};
  for (const entry of matching) {
    if (!entry.forced) underneath = deepMerge(underneath, applicable(entry.values));
  }
  let result = deepMerge(underneath, props);
  for (const entry of matching) {
    if (entry.forced) result = deepMerge(result, applicable(entry.values));
  }
  const fromDefaults = new Set<string>();
  for (const key of Object.keys(result)) {
    if (!(key in props) || result[key] !== props[key]) fromDefaults.add(key);
  }
  return { props: result, fromDefaults };
}

/** Merges `top` over `base`: maps key by key (recursively), anything else replaced by `top`. */
export function deepMerge(
  base: Record<string, unknown>,
  top: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(top)) {
    const existing = out[key];
    out[key] = isRecord(existing) && isRecord(value) ? deepMerge(existing, value) : value;
  }
  return out;
}
