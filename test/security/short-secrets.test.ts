/**
 * Issue 18, item 8: a secret is masked in every log line and every output of the execution, not
 * only in the task that read it. Values under 4 characters are not masked everywhere (that would
 * garble every log), but once a task of the execution has read one with `secret()`, or when it is
 * the value of a SECRET input, the execution knows it is a secret: later tasks' lines, the reading
 * task's outputs and the flow's outputs hide it too. Kestra's InputsTest.shouldNotLogSecretInput
 * (a nested SECRET input logged by a task) is the last case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executionJson } from '../../src/engine/kestra-json.js';
import type { Execution } from '../../src/engine/model.js';
import { executionSecrets } from '../../src/engine/secret-mask.js';
import { startTestRuntime } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('short secrets known to the execution', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime({ env: { ...process.env, SECRET_TINY_PIN: b64('Q7z') } });
  });
  afterAll(() => rt.dispose());

  /** The execution as the API shows it. */
  const shown = async (execution: Execution) => {
    const flow = await rt.runtime.flows.get(execution.namespace, execution.flowId, execution.flowRevision);
    return executionJson(execution, executionSecrets(rt.runtime.taskEnv, flow, execution)) as {
      outputs: Record<string, unknown>;
      taskRunList: Array<{ taskId: string; outputs: Record<string, unknown> }>;
    };
  };

  it('masks a short secret read by one task in the later tasks and in the outputs', async () => {
    const execution = await rt.run(`id: short_secret
namespace: test.secrets
tasks:
  - id: read
    type: io.kestra.plugin.core.debug.Return
    format: "{{ secret('tiny_pin') }}"
  - id: later
    type: io.kestra.plugin.core.log.Log
    message: "pin is {{ outputs.read.value }}"
outputs:
  - id: pin
    type: STRING
    value: "{{ outputs.read.value }}"
`);
    expect(execution.state.current).toBe('SUCCESS');
    expect(await rt.logs(execution.id)).toContain('INFO later pin is ******');
    const json = await shown(execution);
    expect(json.taskRunList.find((r) => r.taskId === 'read')!.outputs).toEqual({ value: '******' });
    expect(json.outputs).toEqual({ pin: '******' });
  });

  it('masks a short SECRET input in every log line and output', async () => {
    const execution = await rt.run(
      `id: short_secret_input
namespace: test.secrets
inputs:
  - id: code
    type: SECRET
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "code is {{ inputs.code }}"
  - id: give
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.code }}"
`,
      { code: 'K9x' },
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(await rt.logs(execution.id)).toContain('INFO say code is ******');
    const json = await shown(execution);
    expect(json.taskRunList.find((r) => r.taskId === 'give')!.outputs).toEqual({ value: '******' });
  });

  it('masks SECRET inputs, nested ones included, in the line of the task that logs them', async () => {
    const execution = await rt.run(
      `id: nested_secret_inputs
namespace: test.secrets
inputs:
  - id: secret
    type: SECRET
    defaults: password
  - id: nested.key
    type: SECRET
    defaults: password
tasks:
  - id: log-secret
    type: io.kestra.plugin.core.log.Log
    message: "These are my secrets: {{ inputs.nested.key }} - {{ inputs.secret }}"
`,
      { 'nested.key': 'pass' },
    );
    expect(execution.state.current).toBe('SUCCESS');
    expect(await rt.logs(execution.id)).toContain('INFO log-secret These are my secrets: ****** - ******');
  });
});
