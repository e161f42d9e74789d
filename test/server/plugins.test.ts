import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flowJsonSchema } from '../../src/flow/json-schema.js';
import { catalog } from '../../src/plugins/registry.js';
import { startTestServer } from './support.js';
import type { TestServer } from './support.js';

const PLUGINS = '/api/v1/main/plugins';

interface Group {
  group: string;
  tasks: string[];
  triggers: string[];
  conditions: string[];
  taskRunners: string[];
  aliases: Record<string, string>;
}

describe('plugins routes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('lists every plugin of the catalog once, grouped by family', async () => {
    const res = await server.app.inject({ method: 'GET', url: PLUGINS });
    expect(res.statusCode).toBe(200);
    const groups = res.json<Group[]>();
    const listed = groups.flatMap((g) => [...g.tasks, ...g.triggers, ...g.conditions, ...g.taskRunners]);
    const expected = (['task', 'trigger', 'condition', 'runner'] as const).flatMap((kind) =>
      catalog.all(kind).map((def) => def.type),
    );
    expect([...listed].sort()).toEqual([...expected].sort());
    const core = groups.find((g) => g.group === 'io.kestra.plugin.core');
    expect(core?.tasks).toContain('io.kestra.plugin.core.log.Log');
    expect(core?.triggers).toContain('io.kestra.plugin.core.trigger.Schedule');
    expect(core?.conditions.length).toBeGreaterThan(0);
    const shell = groups.find((g) => g.tasks.includes('io.kestra.plugin.scripts.shell.Commands'));
    expect(shell?.aliases['io.kestra.plugin.scripts.bash.Commands']).toBe(
      'io.kestra.plugin.scripts.shell.Commands',
    );
  });

  it("gives one type's docs: title, description, properties as JSON Schema, outputs and examples", async () => {
    const res = await server.app.inject({ method: 'GET', url: `${PLUGINS}/io.kestra.plugin.core.kv.Set` });
    expect(res.statusCode).toBe(200);
    const doc = res.json<{
      type: string;
      title: string;
      description: string;
      schema: {
        properties: { properties: Record<string, unknown>; required: string[] };
        definitions: Record<string, unknown>;
      };
      examples: Array<{ title: string; code: string }>;
    }>();
    expect(doc.type).toBe('io.kestra.plugin.core.kv.Set');
    expect(doc.title).toBe('Store a value in the KV store');
    expect(doc.description).toContain('KV store');
    expect(Object.keys(doc.schema.properties.properties)).toEqual(
      expect.arrayContaining(['id', 'type', 'key', 'value', 'ttl', 'kvType']),
    );
    expect(doc.schema.properties.required).toEqual(expect.arrayContaining(['id', 'type']));
    expect(doc.examples[0]?.code).toContain('io.kestra.plugin.core.kv.Set');
    // The example is a flow that parses as YAML.
    expect(parse(doc.examples[0]?.code ?? '')).toMatchObject({ id: 'kv_set_example' });
    // A plugin's schema compiles on its own (nested-plugin references resolve).
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile({ ...doc.schema.properties, definitions: doc.schema.definitions });
    expect(validate({ id: 'remember', type: 'io.kestra.plugin.core.kv.Set', key: 'k', value: 1 })).toBe(true);
    expect(validate({ id: 'remember', type: 'io.kestra.plugin.core.log.Log' })).toBe(false);
  });

  it('documents outputs', async () => {
    const res = await server.app.inject({
      method: 'GET',
      url: `${PLUGINS}/io.kestra.plugin.core.debug.Return`,
    });
    const doc = res.json<{ schema: { outputs: { properties: Record<string, unknown> } } }>();
    expect(Object.keys(doc.schema.outputs.properties)).toContain('value');
  });

  it('resolves an alias to its canonical type', async () => {
    const res = await server.app.inject({
      method: 'GET',
      url: `${PLUGINS}/io.kestra.plugin.scripts.bash.Commands`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      type: 'io.kestra.plugin.scripts.shell.Commands',
      aliases: expect.arrayContaining(['io.kestra.plugin.scripts.bash.Commands']) as unknown,
    });
  });

  it('answers 404 for an unknown type', async () => {
    const res = await server.app.inject({ method: 'GET', url: `${PLUGINS}/io.kestra.plugin.nope.Nope` });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'WH_NOT_FOUND' });
  });

  it('serves the whole flow JSON Schema, the one json-schema.ts builds (tested against flows in test/flow)', async () => {
    const res = await server.app.inject({ method: 'GET', url: `${PLUGINS}/schemas/flow` });
    expect(res.statusCode).toBe(200);
    const schema = res.json<{ definitions: Record<string, unknown> }>();
    expect(Object.keys(schema.definitions)).toContain('io.kestra.plugin.core.log.Log');
    expect(schema).toEqual(JSON.parse(JSON.stringify(flowJsonSchema(catalog))));
  });
});
