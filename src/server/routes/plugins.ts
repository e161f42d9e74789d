/**
 * The plugin browser's routes: every plugin grouped by family (Kestra's `GET /plugins`), one
 * type's documentation with its JSON Schema, outputs and examples (`GET /plugins/{type}`,
 * aliases resolve), and the whole flow JSON Schema. Everything comes from the plugin catalog
 * and src/flow/json-schema.ts, the same sources as `npm run docs:plugins` and the editor schema.
 */
import type { FastifyInstance } from 'fastify';
import { ErrorCodes, WindhoverError } from '../../errors.js';
import type { OutputDoc, PluginCatalog, PluginDefinition } from '../../flow/catalog.js';
import { flowJsonSchema, pluginJsonSchema } from '../../flow/json-schema.js';
import type { PluginKind } from '../../flow/schema/prop.js';
import type { ServerDeps } from '../deps.js';

/** One family of plugins (Kestra's `Plugin`): the type names of each kind, canonical first. */
export interface PluginGroupView {
  name: string;
  title: string;
  group: string;
  tasks: string[];
  triggers: string[];
  conditions: string[];
  taskRunners: string[];
  /** Other names (course notes, older Kestra names) → canonical type. */
  aliases: Record<string, string>;
}

const KIND_LISTS: Record<PluginKind, 'tasks' | 'triggers' | 'conditions' | 'taskRunners'> = {
  task: 'tasks',
  trigger: 'triggers',
  condition: 'conditions',
  runner: 'taskRunners',
};
const KINDS = Object.keys(KIND_LISTS) as PluginKind[];
const JSON_TYPES = new Set(['string', 'integer', 'number', 'object', 'boolean', 'array', 'null']);
const TAGS = ['Plugins'];

/**
 * The family of a type, as Kestra packages plugins: `io.kestra.plugin.core`, and one more level
 * for families split by language or database (`io.kestra.plugin.scripts.python`,
 * `io.kestra.plugin.jdbc.postgresql`).
 */
export function pluginGroupOf(type: string): string {
  const parts = type.split('.');
  const family = parts[3];
  const depth = family === 'scripts' || family === 'jdbc' ? 5 : 4;
  return parts.length > depth ? parts.slice(0, depth).join('.') : parts.slice(0, -1).join('.');
}

// Families named as their makers write them; any other is its package name, capitalised.
const FAMILY_TITLES: Record<string, string> = {
  core: 'Core',
  gcp: 'Google Cloud',
  aws: 'Amazon Web Services',
  azure: 'Microsoft Azure',
  'jdbc.duckdb': 'JDBC DuckDB',
  'jdbc.mysql': 'JDBC MySQL',
  'jdbc.postgresql': 'JDBC PostgreSQL',
  'jdbc.sqlite': 'JDBC SQLite',
  'scripts.node': 'Node.js',
  'scripts.python': 'Python',
  'scripts.shell': 'Shell',
  'scripts.runner': 'Script runners',
};

/** The name people use for a family (`io.kestra.plugin.jdbc.duckdb` → "JDBC DuckDB"), not its slug. */
export function pluginFamilyTitle(group: string): string {
  const key = group.split('.').slice(3).join('.');
  const known = FAMILY_TITLES[key];
  if (known) return known;
  const words = (key || group).split('.');
  if (words[0] === 'jdbc') words[0] = 'JDBC';
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(' ');
}

/** Every plugin of the catalog, grouped by family, sorted by group then type. */
export function pluginGroups(catalog: PluginCatalog): PluginGroupView[] {
  const groups = new Map<string, PluginGroupView>();
  for (const kind of KINDS) {
    for (const def of catalog.all(kind)) {
      const group = pluginGroupOf(def.type);
      let view = groups.get(group);
      if (!view) {
        const name = group.split('.').slice(3).join('-') || group;
        view = {
          name,
          title: pluginFamilyTitle(group),
          group,
          tasks: [],
          triggers: [],
          conditions: [],
          taskRunners: [],
          aliases: {},
        };
        groups.set(group, view);
      }
      view[KIND_LISTS[kind]].push(def.type);
      for (const alias of [...def.aliases, ...def.legacyNames]) view.aliases[alias] = def.type;
    }
  }
  const sorted = [...groups.values()].sort((a, b) => a.group.localeCompare(b.group));
  for (const view of sorted) for (const kind of KINDS) view[KIND_LISTS[kind]].sort();
  return sorted;
}

/** A plugin by any of its names, whatever its kind. */
function lookupAnyKind(catalog: PluginCatalog, name: string): PluginDefinition | undefined {
  for (const kind of KINDS) {
    const def = catalog.lookup(kind, name);
    if (def) return def;
  }
  return undefined;
}

function outputSchema(outputs: Record<string, OutputDoc> | undefined): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, doc] of Object.entries(outputs ?? {})) {
    if (JSON_TYPES.has(doc.type)) properties[name] = { type: doc.type, description: doc.description };
    else if (doc.type === 'datetime')
      properties[name] = { type: 'string', format: 'date-time', description: doc.description };
    else properties[name] = { description: doc.description };
  }
  return { type: 'object', properties };
}

/** One plugin's documentation: Kestra's `{ schema: { properties, outputs, definitions } }` plus docs. */
export function pluginDocView(def: PluginDefinition): Record<string, unknown> {
  // Nested tasks, triggers… point at `#/definitions/<kind>`: described here, detailed in the flow schema.
  const definitions = Object.fromEntries(
    KINDS.map((kind) => [
      kind,
      { type: 'object', description: `Any ${kind} (see GET /api/v1/main/plugins/schemas/flow)` },
    ]),
  );
  return {
    type: def.type,
    kind: def.kind,
    group: pluginGroupOf(def.type),
    aliases: [...def.aliases],
    legacyNames: [...def.legacyNames],
    title: def.title,
    description: def.description,
    flowable: def.flowable,
    ownProperties: [...def.ownProperties],
    schema: {
      properties: pluginJsonSchema(def),
      outputs: outputSchema(def.outputs),
      definitions,
    },
    examples: (def.examples ?? []).map((example) => ({ title: example.title, code: example.code })),
  };
}

/** Registers the plugins routes. */
export function registerPluginRoutes(app: FastifyInstance, deps: ServerDeps): void {
  const { catalog } = deps;
  // The flow schema is the same for the life of the process: built once, on first use.
  let flowSchema: Record<string, unknown> | undefined;

  app.get(
    '/plugins',
    {
      schema: {
        summary: 'List every plugin, grouped by family, with task, trigger and condition types',
        tags: TAGS,
      },
    },
    async () => {
      // The server imports plugins on demand: the list wants them all (imported once).
      await catalog.loadAll?.();
      return pluginGroups(catalog);
    },
  );

  app.get(
    '/plugins/schemas/flow',
    { schema: { summary: 'The JSON Schema of a flow (every plugin included)', tags: TAGS } },
    async () => {
      if (!flowSchema) {
        await catalog.loadAll?.();
        flowSchema = flowJsonSchema(catalog);
      }
      return flowSchema;
    },
  );

  app.get<{ Params: { type: string } }>(
    '/plugins/:type',
    {
      schema: {
        summary: "One plugin's documentation: properties as JSON Schema, outputs, examples (aliases resolve)",
        tags: TAGS,
      },
    },
    async (request) => {
      await catalog.load?.([request.params.type]);
      const def = lookupAnyKind(catalog, request.params.type);
      if (!def)
        throw new WindhoverError(ErrorCodes.NOT_FOUND, `No plugin type ${request.params.type}`, {
          type: request.params.type,
        });
      return pluginDocView(def);
    },
  );
}
