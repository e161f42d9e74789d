/**
 * The plugin catalog that imports a plugin's module on first use. Importing every plugin (and
 * building its zod schema) costs a few hundred milliseconds; `windhover flow validate` of one
 * flow needs only the types that flow names. The names of every plugin come from the generated
 * manifest (manifest.ts), so suggestions for a misspelt type still see them all.
 *
 * Lookups stay synchronous, as the validator and the worker make them: a caller first awaits
 * `load` (or `loadFor` a flow's YAML). Asked for a plugin it knows but has not loaded, the catalog
 * throws PluginNotLoadedError rather than answer "unknown type". The server uses this catalog
 * too: it loads the plugins of the flows it validates, the triggers it arms and the tasks it runs,
 * and all of them only when a route lists them all. The registry (registry.ts), which imports
 * every plugin, adds them all here, so a process that imported it (tests, generators) finds
 * everything loaded.
 */
import { PluginNotLoadedError } from '../flow/catalog.js';
import type { PluginCatalog, PluginDefinition } from '../flow/catalog.js';
import type { PluginKind } from '../flow/schema/prop.js';
import { PLUGIN_MANIFEST } from './manifest.js';

/** One plugin in the manifest: what validation needs to know before loading it, and its module. */
export interface PluginManifestEntry {
  kind: PluginKind;
  type: string;
  aliases: readonly string[];
  legacyNames: readonly string[];
  load: () => Promise<{ default: PluginDefinition }>;
}

/** A catalog whose plugins are imported when first needed. */
export interface OnDemandCatalog extends PluginCatalog {
  /** Imports the plugins these names (of any kind) name; names it does not know are ignored. */
  load(names: Iterable<string>): Promise<void>;
  /** Imports every plugin (for `all`, the JSON Schema, the plugin browser). */
  loadAll(): Promise<void>;
  /** Imports the plugins a flow's YAML (or several flows') names, as far as `pluginNamesIn` sees. */
  loadFor(source: string | Buffer): Promise<void>;
  /** Takes definitions already imported (the registry's full list). */
  add(definitions: readonly PluginDefinition[]): void;
}

/**
 * The values of `type:` keys in YAML or JSON text: every plugin name a flow can write, and more
 * (input types, `contentType`), which `load` ignores. A name written some other way (a block
 * scalar, an escape) is missed; `withPluginsFor` then loads everything.
 */
export function pluginNamesIn(source: string | Buffer): Set<string> {
  const text = typeof source === 'string' ? source : source.toString('utf8');
  const names = new Set<string>();
  for (const match of text.matchAll(/type["']?\s*:\s*["']?([A-Za-z_$][\w.$]*)/g)) names.add(match[1]!);
  return names;
}

/** Builds an on-demand catalog from a manifest (the built-in one: `plugins` below). */
export function createOnDemandCatalog(manifest: readonly PluginManifestEntry[]): OnDemandCatalog {
  const byKindName = new Map<string, PluginManifestEntry>();
  const byName = new Map<string, PluginManifestEntry[]>();
  const names = new Map<PluginKind, string[]>();
  for (const entry of manifest) {
    for (const name of [entry.type, ...entry.aliases, ...entry.legacyNames]) {
      byKindName.set(`${entry.kind}:${name}`, entry);
      byName.set(name, [...(byName.get(name) ?? []), entry]);
    }
    names.set(entry.kind, [...(names.get(entry.kind) ?? []), entry.type, ...entry.aliases]);
  }
  const loaded = new Map<PluginManifestEntry, PluginDefinition>();
  const loading = new Map<PluginManifestEntry, Promise<void>>();

  const definitionOf = (entry: PluginManifestEntry, name: string): PluginDefinition => {
    const definition = loaded.get(entry);
    if (!definition) throw new PluginNotLoadedError(name);
    return definition;
  };
  const take = (entry: PluginManifestEntry, definition: PluginDefinition) => {
    if (definition.type !== entry.type || definition.kind !== entry.kind)
      throw new Error(`the plugin manifest is out of date at ${entry.type}: run npm run plugins:manifest`);
    loaded.set(entry, definition);
  };
  const loadEntries = async (entries: Iterable<PluginManifestEntry>) => {
    const pending: Promise<void>[] = [];
    for (const entry of entries) {
      if (loaded.has(entry)) continue;
      let promise = loading.get(entry);
      if (!promise) {
        promise = entry.load().then((module) => take(entry, module.default));
        loading.set(entry, promise);
      }
      pending.push(promise);
    }
    await Promise.all(pending);
  };
  const load = (wanted: Iterable<string>) =>
    loadEntries([...wanted].flatMap((name) => byName.get(name) ?? []));

  return {
    lookup: (kind, name) => {
      const entry = byKindName.get(`${kind}:${name}`);
      return entry ? definitionOf(entry, name) : undefined;
    },
    names: (kind) => names.get(kind) ?? [],
    all: (kind) =>
      manifest.filter((entry) => entry.kind === kind).map((entry) => definitionOf(entry, entry.type)),
    load,
    loadAll: () => loadEntries(manifest),
    loadFor: (source) => load(pluginNamesIn(source)),
    add: (definitions) => {
      for (const definition of definitions) {
        const entry = byKindName.get(`${definition.kind}:${definition.type}`);
        if (!entry)
          throw new Error(`plugin ${definition.type} is not in the manifest: run npm run plugins:manifest`);
        take(entry, definition);
      }
    },
  };
}

/** Every built-in plugin, imported on demand. */
export const plugins: OnDemandCatalog = createOnDemandCatalog(PLUGIN_MANIFEST);

/**
 * Runs a check of flow YAML (validation: synchronous and pure) once the plugins the YAML names
 * are loaded. Should the check still meet a plugin not loaded (a name `pluginNamesIn` missed, or
 * one a property selects, like `databases.sql.Query`'s JDBC URL), it loads them all and checks again.
 * A catalog that holds every plugin already (no `load`) just runs the check.
 */
export async function withPluginsFor<T>(
  source: string | Buffer,
  check: () => T,
  catalog: PluginCatalog = plugins,
): Promise<T> {
  if (!catalog.load) return check();
  await catalog.load(pluginNamesIn(source));
  try {
    return check();
  } catch (error) {
    if (!(error instanceof PluginNotLoadedError) || !catalog.loadAll) throw error;
    await catalog.loadAll();
    return check();
  }
}
