import { z } from 'zod';
import type { PluginCatalog, PluginDefinition } from './catalog.js';
import { FLOW_SHAPE } from './schema/flow.js';
import { objectShape, pluginRefOf } from './schema/prop.js';
import type { PluginKind } from './schema/prop.js';

type JsonSchema = Record<string, unknown>;

const KINDS: PluginKind[] = ['task', 'trigger', 'condition', 'runner'];

/**
 * The JSON Schema (draft-07, which editors such as VS Code's YAML extension read best) of a
 * flow, generated from the same zod schemas that validate flows. Nested tasks, triggers,
 * conditions and task runners refer to `#/definitions/<kind>`, an `anyOf` of every plugin
 * of that kind, each told apart by its `type`.
 */
export function flowJsonSchema(catalog: PluginCatalog): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  for (const kind of KINDS) {
    const plugins = catalog.all(kind);
    definitions[kind] = { anyOf: plugins.map((def) => ({ $ref: `#/definitions/${def.type}` })) };
    for (const def of plugins) definitions[def.type] = pluginJsonSchema(def);
  }
  const flow = toJsonSchema(z.strictObject(objectShape(FLOW_SHAPE)));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://windhover.dev/schemas/flow.json',
    title: 'Windhover flow (Kestra-compatible)',
    ...flow,
    definitions,
  };
}

/**
 * The JSON Schema of one plugin: its properties, with `type` limited to its names. Only `id`
 * and `type` are listed as required: pluginDefaults may supply any other property, which an
 * editor cannot know, so other required properties say so in their description instead
 * (`windhover flow validate` checks them with the defaults applied).
 */
export function pluginJsonSchema(def: PluginDefinition): JsonSchema {
  const schema = toJsonSchema(def.schema);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  for (const name of required) {
    const property = properties[name];
    if (property && name !== 'id' && name !== 'type') {
      property.description =
        `Required. ${typeof property.description === 'string' ? property.description : ''}`.trim();
    }
  }
  schema.required = required.filter((name) => name === 'id' || name === 'type');
  properties.type = {
    enum: [def.type, ...def.aliases, ...def.legacyNames],
    description: def.aliases.length > 0 ? `${def.type} (also written ${def.aliases.join(', ')})` : def.type,
  };
  return { title: def.title, description: def.description, ...schema, properties };
}

function toJsonSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-7',
    unrepresentable: 'any',
    io: 'input',
    override: (ctx) => {
      const kind = pluginRefOf(ctx.zodSchema);
      if (!kind) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
      (ctx.jsonSchema as JsonSchema).$ref = `#/definitions/${kind}`;
    },
  }) as JsonSchema;
  delete json.$schema;
  return json;
}
