/**
 * Issue 18, item 9: a malformed expression that Kestra saves and fails on at run time (its
 * flows/valids/flowable-with-parent-fail, asserted by BadFlowableTest). The flow validates with a
 * warning; the condition of an If nested in two ForEach fails when it is rendered, and the
 * execution ends FAILED after five task runs (the outer loop, one inner loop per value, one If each).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemsOf } from '../helpers.js';
import { startTestRuntime } from './support/runtime.js';
import type { TestRuntime } from './support/runtime.js';

const FLOW = `id: nested_condition_fails
namespace: test.malformed
tasks:
  - id: period
    type: io.kestra.plugin.core.flow.ForEach
    concurrencyLimit: 0
    values: '["DAILY", "TOTAL"]'
    tasks:
      - id: dates
        type: io.kestra.plugin.core.flow.ForEach
        concurrencyLimit: 0
        values: '[{"START":"2020-01-01"}]'
        tasks:
          - id: pick
            type: io.kestra.plugin.core.flow.If
            condition: "{{ parents[0].taskrun.value == 'TOTAL' and {% for e in json(taskrun.value) %}{{ e.key }}{% endfor %} == 'START' }}"
            then:
              - id: yes
                type: io.kestra.plugin.core.log.Log
                message: true branch
            else:
              - id: no
                type: io.kestra.plugin.core.log.Log
                message: false branch
`;

describe('a malformed expression Kestra accepts at save time', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.dispose());

  it('validates with a warning, not an error', () => {
    const problems = problemsOf(FLOW);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(problems.map((p) => `${p.severity} ${p.line} ${p.message}`)).toEqual([
      expect.stringMatching(/^warning 16 .*the task fails when it renders this/),
    ]);
  });

  it('fails at run time where the condition is rendered', async () => {
    const execution = await rt.run(FLOW);
    expect(execution.state.current).toBe('FAILED');
    expect(execution.taskRunList).toHaveLength(5);
    const picks = execution.taskRunList.filter((r) => r.taskId === 'pick');
    expect(picks.map((r) => r.state.current)).toEqual(['FAILED', 'FAILED']);
    expect(execution.taskRunList.some((r) => r.taskId === 'yes' || r.taskId === 'no')).toBe(false);
  });
});
