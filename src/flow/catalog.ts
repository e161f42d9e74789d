import { z } from 'zod';
import type { PathSegment, Severity } from './problems.js';
import type { ProblemCode } from '../errors.js';
import { objectShape, SLOT_KINDS } from './schema/prop.js';
import type { PluginKind, Prop, PropKind } from './schema/prop.js';
import { commonPropsFor } from './schema/common.js';

/** Reports a finding about a plugin's properties; `path` is relative to the plugin's map. */
export type ReportFn = (
  path: PathSegment[],
  message: string,
  options?: { severity?: Severity; code?: ProblemCode; atKey?: boolean },
) => void;

/** Documentation of one output of a task. */
export interface OutputDoc {
  type: string;
  description: string;
}

export interface PluginExample {
  title: string;
  /** YAML: a whole flow, or one task/trigger. */
  code: string;
}

/** What a plugin author writes: see `definePlugin`. */
export interface PluginSpec {
  type: string;
  /** Other names that mean the same plugin (course-notes names, see DESIGN.md "Compatibility"). */
  aliases?: readonly string[];
  /** Names Kestra used before and still accepts; validation warns that they are deprecated. */
  legacyNames?: readonly string[];
  /**
   * Set on a type Kestra itself deprecated (EachSequential, Echo…): what to use instead, a type
   * name or a sentence. Validation warns under any of its names.
   */
  deprecated?: string;
  title: string;
  description: string;
  properties: Record<string, Prop>;
  /** Tasks only: a flowable task, which also takes `errors` and `finally` task lists. */
  flowable?: boolean;
  outputs?: Record<string, OutputDoc>;
  examples?: readonly PluginExample[];
  /** Checks that span several properties (zod has already checked each one). */
  check?: (props: Record<string, unknown>, report: ReportFn) => void;
  /** Maps course-notes property aliases onto Kestra's properties, after validation. */
  normalize?: (props: Record<string, unknown>) => Record<string, unknown>;
  /**
   * For a dispatching type (`databases.sql.Query`): the concrete type its properties select,
   * or undefined when that is only known at run time (an expression in the URL).
   */
  resolveType?: (props: Record<string, unknown>) => string | undefined;
}

/** A slot: a property whose value holds nested tasks or plugins. */
export interface Slot {
  name: string;
  kind: PropKind;
  pluginKind?: PluginKind;
}

/** A plugin as the flow model sees it: its schema, docs and hooks. Engines add `run` later. */
export interface PluginDefinition extends Omit<PluginSpec, 'aliases' | 'legacyNames' | 'flowable'> {
  kind: PluginKind;
  aliases: readonly string[];
  legacyNames: readonly string[];
  flowable: boolean;
  /** Own properties plus the properties common to every plugin of its kind. */
  properties: Record<string, Prop>;
  /** The names of the plugin's own properties (not the common ones), for docs. */
  ownProperties: readonly string[];
  schema: z.ZodType;
  slots: readonly Slot[];
}

/** Builds a plugin definition: adds the common properties, the zod schema and the slots. */
export function definePlugin(kind: PluginKind, spec: PluginSpec): PluginDefinition {
  const properties = { ...commonPropsFor(kind, spec.flowable === true), ...spec.properties };
  const slots: Slot[] = [];
  for (const [name, prop] of Object.entries(properties)) {
    if (SLOT_KINDS.has(prop.info.kind))
      slots.push({ name, kind: prop.info.kind, pluginKind: prop.info.pluginKind });
  }
  return {
    ...spec,
    kind,
    aliases: spec.aliases ?? [],
    legacyNames: spec.legacyNames ?? [],
    flowable: spec.flowable === true,
    properties,
    ownProperties: Object.keys(spec.properties),
    schema: z.strictObject(objectShape(properties)),
    slots,
  };
}

/** The plugins a validator knows, by canonical name, alias or legacy name. */
export interface PluginCatalog {
  lookup(kind: PluginKind, name: string): PluginDefinition | undefined;
  /** Every name (canonical and alias) of a kind, for suggestions. */
  names(kind: PluginKind): readonly string[];
  all(kind: PluginKind): readonly PluginDefinition[];
  /**
   * Imports the plugins these names (of any kind) name, in a catalog that loads them on demand
   * (plugins/on-demand.ts); absent in one that holds every plugin already. Callers of `lookup`
   * and `all` await it first.
   */
  load?(names: Iterable<string>): Promise<void>;
  /** Imports every plugin, in a catalog that loads them on demand (see `load`). */
  loadAll?(): Promise<void>;
}

/**
 * Thrown by a catalog that loads plugins on demand (plugins/on-demand.ts) when asked for a plugin
 * it knows by name but has not loaded yet: the caller loads it (async) and asks again. Never a
 * user's error, so validation passes it on rather than reporting it.
 */
export class PluginNotLoadedError extends Error {
  constructor(readonly pluginName: string) {
    super(`plugin ${pluginName} is not loaded yet`);
    this.name = 'PluginNotLoadedError';
  }
}

/** Builds a catalog from definitions; throws on a name defined twice (a programming error). */
export function createCatalog(definitions: readonly PluginDefinition[]): PluginCatalog {
  const byName = new Map<string, PluginDefinition>();
  const names = new Map<PluginKind, string[]>();
  const all = new Map<PluginKind, PluginDefinition[]>();
  for (const def of definitions) {
    for (const name of [def.type, ...def.aliases, ...def.legacyNames]) {
      const key = `${def.kind}:${name}`;
      if (byName.has(key)) throw new Error(`plugin name ${name} is defined twice`);
      byName.set(key, def);
    }
    names.set(def.kind, [...(names.get(def.kind) ?? []), def.type, ...def.aliases]);
    all.set(def.kind, [...(all.get(def.kind) ?? []), def]);
  }
  return {
    lookup: (kind, name) => byName.get(`${kind}:${name}`),
    names: (kind) => names.get(kind) ?? [],
    all: (kind) => all.get(kind) ?? [],
  };
}
