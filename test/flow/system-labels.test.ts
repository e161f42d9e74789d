/**
 * Issue 18, item 9: a flow may carry the label `system.readOnly` (Kestra's FlowValidator allows
 * that one system label on a flow); other `system.` labels stay refused. As in Kestra, a flow's
 * system labels are not copied onto its executions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsOf } from '../helpers.js';
import { startTestRuntime } from '../engine/support/runtime.js';
import type { TestRuntime } from '../engine/support/runtime.js';

const FLOW = `id: read_only
namespace: test.labels
labels:
  system.readOnly: "true"
  team: data
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: hi
`;

describe('system labels on a flow', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await startTestRuntime();
  });
  afterAll(() => rt.dispose());

  it('allows system.readOnly', () => {
    expect(errorsOf(FLOW)).toEqual([]);
    expect(
      errorsOf(
        FLOW.replace('system.readOnly: "true"', '- { key: system.readOnly, value: "true" }').replace(
          '  team: data',
          '  - { key: team, value: data }',
        ),
      ),
    ).toEqual([]);
  });

  it('still refuses the other system labels', () => {
    expect(errorsOf(FLOW.replace('system.readOnly', 'system.restarted'))).toEqual([
      '4:3 label `system.restarted` is reserved: keys starting with `system.` are set by Windhover (only `system.readOnly` may be set on a flow)',
    ]);
  });

  it("runs, and its executions do not carry the flow's system label", async () => {
    const execution = await rt.run(FLOW);
    expect(execution.state.current).toBe('SUCCESS');
    expect(execution.labels).toContainEqual({ key: 'team', value: 'data' });
    expect(execution.labels.map((l) => l.key)).not.toContain('system.readOnly');
  });
});
