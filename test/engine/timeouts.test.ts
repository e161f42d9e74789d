/**
 * Integration: `timeout` ends tasks the executor runs (Sleep, Pause, flowables) through the
 * real store, timer loop and worker, as it ends runnable tasks in the worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, statesOf } from './support/runtime.js';
import type { TestRuntime } from './support/runtime.js';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await startTestRuntime();
});
afterAll(async () => {
  await rt.dispose();
});

const FLOW = 'io.kestra.plugin.core.flow';

describe('timeout', () => {
  it('a Sleep of PT30S with timeout PT1S ends FAILED after about a second', async () => {
    const started = Date.now();
    const execution = await rt.run(`
id: sleep_timeout
namespace: test.timeouts
tasks:
  - id: nap
    type: ${FLOW}.Sleep
    duration: PT30S
    timeout: PT1S
  - id: never
    type: io.kestra.plugin.core.log.Log
    message: never
`);
    const elapsed = Date.now() - started;
    expect(execution.state.current).toBe('FAILED');
    expect(statesOf(execution)).toEqual({ nap: 'FAILED' });
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5000);
    expect(await rt.logs(execution.id)).toContain('ERROR nap Timeout: `nap` did not finish within PT1S');
  });

  it('a Pause with timeout (no pauseDuration) is PAUSED, then ends FAILED when it passes', async () => {
    const flow = await rt.deploy(`
id: pause_timeout
namespace: test.timeouts
tasks:
  - id: pause
    type: ${FLOW}.Pause
    timeout: PT1S
    tasks:
      - id: ko
        type: io.kestra.plugin.core.log.Log
        message: ko
  - id: last
    type: io.kestra.plugin.core.debug.Return
    format: "{{ task.id }}"
`);
    const submitted = await rt.runtime.submit(flow);
    await expect
      .poll(async () => (await rt.runtime.execution(submitted.id))?.state.current, { timeout: 5000 })
      .toBe('PAUSED');
    const execution = await rt.runtime.waitForEnd(submitted.id);
    expect(execution.state.current).toBe('FAILED');
    expect(statesOf(execution)).toEqual({ pause: 'FAILED' });
    const history = execution.taskRunList[0]!.state.histories.map((h) => h.state);
    expect(history.filter((s) => s === 'PAUSED')).toHaveLength(1);
    expect(history.filter((s) => s === 'FAILED')).toHaveLength(1);
  });

  it('a flowable with a rendered timeout kills its running task when it passes', async () => {
    const started = Date.now();
    const execution = await rt.run(
      `
id: flowable_timeout
namespace: test.timeouts
inputs:
  - id: limit
    type: DURATION
tasks:
  - id: seq
    type: ${FLOW}.Sequential
    timeout: "{{ inputs.limit }}"
    tasks:
      - id: nap
        type: ${FLOW}.Sleep
        duration: PT30S
`,
      { limit: 'PT1S' },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(execution.state.current).toBe('FAILED');
    expect(statesOf(execution)).toEqual({ seq: 'FAILED', nap: 'KILLED' });
  });
});
