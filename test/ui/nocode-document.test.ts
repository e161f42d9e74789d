/**
 * The no-code editor's YAML edits (ui/src/pages/flows/nocode/flowDocument.ts): each keeps the
 * comments and layout of what it does not touch, and reading back gives what the form shows.
 */
import { describe, expect, it } from 'vitest';
import {
  addItem,
  addListKey,
  deleteItem,
  deleteKey,
  freshTaskId,
  moveItem,
  readFlowModel,
  setValueAt,
  taskIds,
} from '../../ui/src/pages/flows/nocode/flowDocument.js';

const FLOW = `# The team's greeting flow
id: hello
namespace: company.team # where it lives

tasks:
  # first, say hello
  - id: one
    type: io.kestra.plugin.core.log.Log
    message: hi # keep me
  - id: two
    type: io.kestra.plugin.core.log.Log
    message: there
`;

describe('no-code YAML edits', () => {
  it('changes a value in place and keeps every comment', () => {
    const out = setValueAt(FLOW, ['tasks', 0, 'message'], 'hello {{ inputs.name }}');
    expect(out).toContain("# The team's greeting flow");
    expect(out).toContain('namespace: company.team # where it lives');
    expect(out).toContain('# first, say hello');
    expect(out).toContain('message: hello {{ inputs.name }} # keep me');
    expect(readFlowModel(out).model?.tasks[0]?.message).toBe('hello {{ inputs.name }}');
    // An expression first on the line is quoted, or YAML would read a mapping.
    const quoted = setValueAt(FLOW, ['tasks', 1, 'message'], '{{ inputs.name }}');
    expect(readFlowModel(quoted).model?.tasks[1]?.message).toBe('{{ inputs.name }}');
  });

  it('removes a property set to empty, and keeps strings that look like numbers strings', () => {
    const out = setValueAt(setValueAt(FLOW, ['tasks', 1, 'message'], ''), ['tasks', 0, 'message'], '42');
    expect(readFlowModel(out).model?.tasks[1]).toEqual({ id: 'two', type: 'io.kestra.plugin.core.log.Log' });
    expect(readFlowModel(out).model?.tasks[0]?.message).toBe('42');
  });

  it('adds inputs before the tasks, adds, moves and deletes tasks', () => {
    let out = addItem(FLOW, ['inputs'], { id: 'name', type: 'STRING' });
    expect(out.indexOf('inputs:')).toBeLessThan(out.indexOf('tasks:'));
    out = addItem(out, ['tasks'], { id: 'three', type: 'io.kestra.plugin.core.log.Log' });
    out = moveItem(out, ['tasks'], 2, -1);
    expect(readFlowModel(out).model?.tasks.map((t) => t.id)).toEqual(['one', 'three', 'two']);
    out = moveItem(out, ['tasks'], 0, -1);
    expect(readFlowModel(out).model?.tasks.map((t) => t.id)).toEqual(['one', 'three', 'two']);
    out = deleteItem(out, ['tasks'], 0);
    expect(readFlowModel(out).model).toMatchObject({
      id: 'hello',
      inputs: [{ id: 'name', type: 'STRING' }],
      tasks: [{ id: 'three' }, { id: 'two' }],
    });
    expect(out).toContain("# The team's greeting flow");
  });

  it('adds to a list emptied by deletes as a block list', () => {
    const emptied = deleteItem(deleteItem(FLOW, ['tasks'], 0), ['tasks'], 0);
    const out = addItem(emptied, ['tasks'], { id: 'log', type: 'io.kestra.plugin.core.log.Log' });
    expect(out).toMatch(/tasks:\n( {2}#.*\n)? {2}- id: log\n {4}type: io\.kestra\.plugin\.core\.log\.Log\n/);
  });

  it('builds a flow from an empty text', () => {
    let out = setValueAt('', ['id'], 'new_flow');
    out = addItem(out, ['tasks'], { id: 'log', type: 'io.kestra.plugin.core.log.Log' });
    expect(readFlowModel(out).model).toMatchObject({ id: 'new_flow', tasks: [{ id: 'log' }] });
  });

  it('leaves broken YAML alone and says why', () => {
    const broken = 'id: a\ndescription: a: b\n';
    expect(readFlowModel(broken).error).toBeDefined();
    expect(setValueAt(broken, ['id'], 'b')).toBe(broken);
  });

  it('names new tasks after their type, unused', () => {
    expect(freshTaskId('io.kestra.plugin.core.log.Log', [])).toBe('log');
    expect(freshTaskId('io.kestra.plugin.scripts.python.Script', ['script'])).toBe('script_2');
    expect(freshTaskId('io.kestra.plugin.core.http.Request', [])).toBe('request');
  });

  it('edits the tasks of a flowable, a Switch case, triggers and errors, keeping every comment', () => {
    const flow = `id: nested
namespace: company.team
tasks:
  - id: group # the group
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: inner_a # keep a
        type: io.kestra.plugin.core.log.Log
        message: a
      - id: inner_b
        type: io.kestra.plugin.core.log.Log
        message: b # keep b
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: x
# triggers come last
`;
    let out = setValueAt(flow, ['tasks', 0, 'tasks', 1, 'message'], 'changed');
    expect(out).toContain('        message: changed # keep b\n');
    out = moveItem(out, ['tasks', 0, 'tasks'], 1, -1);
    expect(readFlowModel(out).model?.tasks[0]?.tasks).toMatchObject([{ id: 'inner_b' }, { id: 'inner_a' }]);
    expect(out).toContain('      - id: inner_a # keep a\n');
    out = deleteItem(out, ['tasks', 0, 'tasks'], 0);
    out = addListKey(out, ['tasks', 1, 'cases'], 'x');
    out = addItem(out, ['tasks', 1, 'cases', 'x'], { id: 'log', type: 'io.kestra.plugin.core.log.Log' });
    expect(readFlowModel(out).model?.tasks[1]?.cases).toEqual({
      x: [{ id: 'log', type: 'io.kestra.plugin.core.log.Log' }],
    });
    out = addItem(out, ['triggers'], { id: 'schedule', type: 'io.kestra.plugin.core.trigger.Schedule' });
    out = addItem(out, ['errors'], { id: 'alert', type: 'io.kestra.plugin.core.log.Log' });
    // Kestra's layout: errors right after tasks, triggers last.
    expect(out.indexOf('errors:')).toBeGreaterThan(out.indexOf('value: x'));
    expect(out.indexOf('errors:')).toBeLessThan(out.indexOf('triggers:'));
    expect(out).toContain('  - id: group # the group\n');
    expect(out).toContain('# triggers come last');
    expect(taskIds(readFlowModel(out).model?.flow)).toEqual([
      'group',
      'inner_a',
      'route',
      'log',
      'alert',
      'schedule',
    ]);
    out = deleteKey(out, ['tasks', 1, 'cases'], 'x');
    expect(readFlowModel(out).model?.tasks[1]).toEqual({
      id: 'route',
      type: 'io.kestra.plugin.core.flow.Switch',
      value: 'x',
    });
  });
});
