import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { flowJsonSchema } from '../../src/flow/json-schema.js';
import { catalog, PLUGINS } from '../../src/plugins/registry.js';

const schema = flowJsonSchema(catalog);
const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(dir, f));
}

describe('the flow JSON Schema', () => {
  it('is valid draft-07 and defines every plugin', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const definitions = schema.definitions as Record<string, unknown>;
    for (const plugin of PLUGINS) expect(definitions[plugin.type], plugin.type).toBeDefined();
  });

  it.each([...yamlFiles('examples/flows'), ...yamlFiles('test/fixtures/course')])('accepts %s', (file) => {
    const ok = validate(load(readFileSync(file, 'utf8')));
    expect(validate.errors?.slice(0, 3) ?? [], file).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects an unknown task type and an unknown property', () => {
    const base = { id: 'f', namespace: 'company.team' };
    expect(
      validate({ ...base, tasks: [{ id: 'a', type: 'io.kestra.plugin.core.log.Logg', message: 'hi' }] }),
    ).toBe(false);
    expect(
      validate({ ...base, tasks: [{ id: 'a', type: 'io.kestra.plugin.core.log.Log', mesage: 'hi' }] }),
    ).toBe(false);
    expect(validate({ ...base, tasks: [{ type: 'io.kestra.plugin.core.log.Log', message: 'hi' }] })).toBe(
      false,
    );
    expect(
      validate({ ...base, tasks: [{ id: 'a', type: 'io.kestra.plugin.core.log.Log', message: 'hi' }] }),
    ).toBe(true);
  });

  it('checks tasks nested in flowables through references', () => {
    const nested = (inner: Record<string, unknown>) => ({
      id: 'f',
      namespace: 'company.team',
      tasks: [{ id: 'seq', type: 'io.kestra.plugin.core.flow.Sequential', tasks: [inner] }],
    });
    expect(validate(nested({ id: 'x', type: 'io.kestra.plugin.core.log.Log', message: 'hi' }))).toBe(true);
    expect(
      validate(nested({ id: 'x', type: 'io.kestra.plugin.core.log.Log', level: 'LOUD', message: 'hi' })),
    ).toBe(false);
  });

  it('accepts expressions where a number or a duration is expected', () => {
    const flow = (props: Record<string, unknown>) => ({
      id: 'f',
      namespace: 'company.team',
      tasks: [{ id: 'a', type: 'io.kestra.plugin.core.flow.Sleep', ...props }],
    });
    expect(validate(flow({ duration: 'PT1M' }))).toBe(true);
    expect(validate(flow({ duration: '{{ inputs.wait }}' }))).toBe(true);
    expect(validate(flow({ duration: '1 minute' }))).toBe(false);
  });
});

describe('required properties in the JSON Schema', () => {
  it('requires only id and type of a plugin (pluginDefaults may supply the rest) and says the rest are required', () => {
    const log = (
      schema.definitions as Record<
        string,
        { required: string[]; properties: Record<string, { description?: string }> }
      >
    )['io.kestra.plugin.core.log.Log']!;
    expect(log.required.sort()).toEqual(['id', 'type']);
    expect(log.properties.message?.description).toMatch(/^Required\. /);
  });
});
