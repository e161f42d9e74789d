/**
 * Integration: what an execution carries and shows as Kestra does (labels, inputs, flow
 * outputs), through the real store, executor loop and worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputsOf, startTestRuntime } from './support/runtime.js';
import type { TestRuntime } from './support/runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime({ workerConcurrency: 4 });
});
afterAll(async () => {
  await rt.dispose();
});

const correlationOf = (labels: ReadonlyArray<{ key: string; value: string }>) =>
  labels.find((l) => l.key === 'system.correlationId')?.value;

describe('system.correlationId', () => {
  it('is the execution’s own id, and subflows (and theirs) carry their parent’s', async () => {
    await rt.deploy(`
id: grandchild
namespace: test.correlation
tasks:
  - { id: hello, type: io.kestra.plugin.core.log.Log, message: hi }
`);
    await rt.deploy(`
id: child
namespace: test.correlation
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: test.correlation
    flowId: grandchild
    labels: { level: grandchild }
`);
    const parent = await rt.run(`
id: parent
namespace: test.correlation
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: test.correlation
    flowId: child
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ labels.system.correlationId }}"
`);
    expect(parent.state.current).toBe('SUCCESS');
    expect(correlationOf(parent.labels)).toBe(parent.id);
    expect(outputsOf(parent, 'show')).toEqual({ value: parent.id });
    const childId = outputsOf(parent, 'call')!.executionId as string;
    const child = (await rt.runtime.execution(childId))!;
    expect(correlationOf(child.labels)).toBe(parent.id);
    const grandchildId = child.taskRunList[0]!.outputs!.executionId as string;
    const grandchild = (await rt.runtime.execution(grandchildId))!;
    expect(correlationOf(grandchild.labels)).toBe(parent.id);
    expect(grandchild.labels).toEqual(expect.arrayContaining([{ key: 'level', value: 'grandchild' }]));
  });
});

describe('flow outputs and inputs as Kestra has them', () => {
  it('a STRING output holding a map is its JSON text (Kestra FlowOutputTest)', async () => {
    const execution = await rt.run(`
id: flow-with-outputs
namespace: test.outputs
tasks:
  - id: return
    type: io.kestra.plugin.core.debug.Return
    format: "{{ flow.id }}"
outputs:
  - id: key
    type: STRING
    value: "{{ outputs.return }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.outputs).toEqual({ key: '{"value":"flow-with-outputs"}' });
  });

  it('an optional output that cannot render is left out; with none left, the execution has no outputs', async () => {
    const execution = await rt.run(`
id: flow-with-optional-outputs
namespace: test.outputs
tasks:
  - id: return
    type: io.kestra.plugin.core.debug.Return
    format: "{{ flow.id }}"
outputs:
  - id: optional
    type: STRING
    value: "{{ outputs.missing.value }}"
    required: false
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.outputs).toBeUndefined();
    expect(await rt.logs(execution.id)).toContainEqual(
      expect.stringMatching(/^WARN - The optional output `optional` is left out: /),
    );
  });

  it('a failed execution has no outputs (null), not an empty map', async () => {
    const execution = await rt.run(`
id: flow-with-outputs-failed
namespace: test.outputs
tasks:
  - id: return
    type: io.kestra.plugin.core.debug.Return
    format: "{{ flow.id }}"
outputs:
  - id: key
    type: STRING
    value: "{{ invalid }}"
`);
    expect(execution.state.current).toBe('FAILED');
    expect(execution.outputs).toBeUndefined();
  });

  it('an optional input left empty is null: it renders as an empty text (Kestra InputsTest.inputFlow)', async () => {
    const execution = await rt.run(
      `
id: inputs
namespace: test.inputs
inputs:
  - { id: string, type: STRING }
  - { id: optional, type: STRING, required: false }
  - { id: optionalInt, type: INT, required: false }
tasks:
  - id: optional
    type: io.kestra.plugin.core.debug.Return
    format: "[{{ inputs.optional }}][{{ inputs.optionalInt }}][{{ inputs.optional is null }}]"
`,
      { string: 'here' },
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(outputsOf(execution, 'optional')).toEqual({ value: '[][][true]' });
    expect(execution.inputs).toEqual({ string: 'here', optional: null, optionalInt: null });
  });
});
