/**
 * The no-code forms' fields (ui/src/pages/flows/nocode/schemaFields.ts) read from the flow JSON
 * Schema the server serves: each property becomes the control its schema calls for.
 */
import { describe, expect, it } from 'vitest';
import { flowJsonSchema } from '../../src/flow/json-schema.js';
import { catalog } from '../../src/plugins/registry.js';
import {
  commonTaskProperties,
  fieldsOf,
  inputSchema,
  inputTypes,
  pluginSchema,
  taskTypes,
} from '../../ui/src/pages/flows/nocode/schemaFields.js';
import type { SchemaNode } from '../../ui/src/pages/flows/nocode/schemaFields.js';

const schema = flowJsonSchema(catalog) as SchemaNode;
const LOG = 'io.kestra.plugin.core.log.Log';

function field(type: string, name: string) {
  return fieldsOf(pluginSchema(schema, type)).find((f) => f.name === name);
}

describe('no-code fields from the flow JSON Schema', () => {
  it('marks required properties, makes enums selects, booleans checkboxes, durations text', () => {
    expect(field(LOG, 'message')).toMatchObject({ kind: 'text', required: true, dynamic: true });
    expect(field(LOG, 'message')?.description).not.toMatch(/^Required/);
    expect(field(LOG, 'level')).toMatchObject({ kind: 'enum', required: false, default: 'INFO' });
    expect(field(LOG, 'level')?.options).toEqual(expect.arrayContaining(['DEBUG', 'INFO', 'ERROR']));
    expect(field(LOG, 'disabled')).toMatchObject({ kind: 'boolean', default: false });
    expect(field(LOG, 'timeout')).toMatchObject({ kind: 'duration', dynamic: true });
    expect(field(LOG, 'retry')?.kind).toBe('yaml');
    // Required ones come first.
    expect(fieldsOf(pluginSchema(schema, LOG))[0]?.required).toBe(true);
  });

  it('finds plugins by alias, lists task types and the properties every task has', () => {
    expect(pluginSchema(schema, 'io.kestra.core.tasks.log.Log')).toBe(pluginSchema(schema, LOG));
    expect(taskTypes(schema)).toContain(LOG);
    const common = commonTaskProperties(schema);
    expect([...common]).toEqual(expect.arrayContaining(['id', 'type', 'timeout', 'disabled', 'retry']));
    expect(common.has('message')).toBe(false);
  });

  it('gives each input type its own fields', () => {
    expect(inputTypes(schema)).toEqual(expect.arrayContaining(['STRING', 'INT', 'SELECT', 'BOOLEAN']));
    const names = (type: string) => fieldsOf(inputSchema(schema, type), ['id', 'type']).map((f) => f.name);
    expect(names('STRING')).toEqual(expect.arrayContaining(['defaults', 'description', 'required']));
    expect(names('SELECT')).toContain('values');
    expect(fieldsOf(inputSchema(schema, 'STRING')).find((f) => f.name === 'defaults')?.kind).toBe('text');
    expect(fieldsOf(inputSchema(schema, 'STRING')).find((f) => f.name === 'required')?.kind).toBe('boolean');
  });

  it('finds the lists of tasks and triggers from the schema, not from a list of flowable types', () => {
    const kind = (type: string, name: string) => field(type, name)?.kind;
    expect(kind('io.kestra.plugin.core.flow.Sequential', 'tasks')).toBe('tasks');
    expect(kind('io.kestra.plugin.core.flow.If', 'then')).toBe('tasks');
    expect(kind('io.kestra.plugin.core.flow.If', 'else')).toBe('tasks');
    expect(kind('io.kestra.plugin.core.flow.Switch', 'cases')).toBe('taskMap');
    expect(kind('io.kestra.plugin.core.flow.Switch', 'defaults')).toBe('tasks');
    expect(kind('io.kestra.plugin.core.flow.Parallel', 'errors')).toBe('tasks');
    // A list of strings stays a YAML text area.
    expect(kind('io.kestra.plugin.scripts.python.Script', 'beforeCommands')).toBe('yaml');
    const flowFields = fieldsOf(schema);
    expect(flowFields.find((f) => f.name === 'triggers')?.kind).toBe('triggers');
    expect(flowFields.find((f) => f.name === 'finally')?.kind).toBe('tasks');
    expect(taskTypes(schema, 'trigger')).toContain('io.kestra.plugin.core.trigger.Schedule');
  });
});
