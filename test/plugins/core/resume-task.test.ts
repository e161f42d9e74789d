/**
 * Issue 18: the `execution.Resume` task (Kestra ResumeTest) resumes a paused execution, another
 * one by id or its own by default, with `onResume` inputs checked as the API checks them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../../src/engine/model.js';
import { outputsOf, startTestRuntime, statesOf } from '../../engine/support/runtime.js';
import type { TestRuntime } from '../../engine/support/runtime.js';

const PAUSED_FLOW = `id: approval
namespace: test.resume
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOL
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: "approved={{ outputs.wait.onResume.approved }}"
`;

const resumer = (id: string, props: string) => `id: ${id}
namespace: test.resume
inputs:
  - id: target
    type: STRING
tasks:
  - id: resume
    type: io.kestra.plugin.core.execution.Resume
    executionId: "{{ inputs.target }}"
${props}`;

describe('Resume task', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.dispose());

  const state = async (id: string) => (await rt.runtime.execution(id))?.state.current;
  const paused = async (): Promise<Execution> => {
    const flow = await rt.deploy(PAUSED_FLOW);
    const execution = await rt.runtime.submit(flow);
    await expect.poll(() => state(execution.id), { timeout: 5000 }).toBe('PAUSED');
    return execution;
  };

  it('resumes another execution by id, with its onResume inputs typed', async () => {
    const target = await paused();
    const run = await rt.run(resumer('resume_other', '    inputs:\n      approved: "true"\n'), {
      target: target.id,
    });
    expect(run.state.current).toBe('SUCCESS');
    const ended = await rt.runtime.waitForEnd(target.id);
    expect(ended.state.current).toBe('SUCCESS');
    expect(outputsOf(ended, 'wait')).toEqual({ onResume: { approved: true } });
    expect(outputsOf(ended, 'after')).toEqual({ value: 'approved=true' });
  });

  it('fails naming the missing onResume input, and the execution stays PAUSED', async () => {
    const target = await paused();
    const run = await rt.run(resumer('resume_missing', ''), { target: target.id });
    expect(run.state.current).toBe('FAILED');
    expect((await rt.logs(run.id)).join('\n')).toContain('`approved`');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await state(target.id)).toBe('PAUSED');
    await rt.runtime.command(target.id, { kind: 'kill' });
  });

  it('with namespace and flowId, an execution of another flow is not found', async () => {
    const target = await paused();
    const run = await rt.run(
      resumer(
        'resume_wrong_flow',
        '    namespace: test.resume\n    flowId: other\n    inputs: { approved: true }\n',
      ),
      { target: target.id },
    );
    expect(run.state.current).toBe('FAILED');
    expect((await rt.logs(run.id)).join('\n')).toContain(
      `No execution ${target.id} of flow test.resume.other`,
    );
    expect(await state(target.id)).toBe('PAUSED');
    await rt.runtime.command(target.id, { kind: 'kill' });
  });

  it('without executionId, resumes its own execution (a Pause waiting in a parallel branch)', async () => {
    const run = await rt.run(`id: resume_self
namespace: test.resume
tasks:
  - id: both
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: wait
        type: io.kestra.plugin.core.flow.Pause
      - id: later
        type: io.kestra.plugin.core.flow.Sequential
        tasks:
          - id: nap
            type: io.kestra.plugin.core.flow.Sleep
            duration: PT0.3S
          - id: resume
            type: io.kestra.plugin.core.execution.Resume
`);
    expect(run.state.current).toBe('SUCCESS');
    expect(statesOf(run)).toMatchObject({ wait: 'SUCCESS', resume: 'SUCCESS' });
  });
});
