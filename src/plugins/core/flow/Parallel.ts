import { defineTask, p } from '../../api.js';
import { onChildFailureProp } from '../task-props.js';

export default defineTask({
  type: 'io.kestra.plugin.core.flow.Parallel',
  legacyNames: ['io.kestra.core.tasks.flows.Parallel'],
  title: 'Run tasks at the same time',
  description:
    'Starts its tasks together, at most `concurrent` of them at once (`0` means no limit). The group ends when every task has ended; once one failed, nothing new starts, and `failFast` or `onChildFailure` stop those still running. Wrap tasks in a `Sequential` to run a chain of steps as one branch.',
  flowable: true,
  properties: {
    tasks: p.tasks().required().describe('The tasks to run in parallel.'),
    concurrent: p
      .integer({ min: 0, dynamic: false })
      .default(0)
      .describe('How many tasks may run at once; `0` means all of them.'),
    failFast: p
      .boolean({ dynamic: false })
      .default(false)
      .describe(
        'When a task fails with no retry left, kill the tasks still running (at any depth) instead of letting them finish; the Parallel then ends `FAILED` after its `errors` and `finally`.',
      ),
    onChildFailure: onChildFailureProp('Parallel'),
  },
  outputs: {},
  examples: [
    {
      title: 'Two independent steps at once',
      code: `id: parallel_example
namespace: company.team
tasks:
  - id: parallel
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: first
        type: io.kestra.plugin.core.log.Log
        message: "{{ task.id }} started at {{ taskrun.startDate }}"
      - id: second
        type: io.kestra.plugin.core.log.Log
        message: "{{ task.id }} started at {{ taskrun.startDate }}"
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: both branches are done`,
    },
    {
      title: 'Two sequences side by side, one task at a time per sequence',
      code: `- id: branches
  type: io.kestra.plugin.core.flow.Parallel
  concurrent: 2
  tasks:
    - id: branch_a
      type: io.kestra.plugin.core.flow.Sequential
      tasks:
        - id: a1
          type: io.kestra.plugin.core.debug.Return
          format: a1
        - id: a2
          type: io.kestra.plugin.core.debug.Return
          format: a2
    - id: branch_b
      type: io.kestra.plugin.core.flow.Sequential
      tasks:
        - id: b1
          type: io.kestra.plugin.core.debug.Return
          format: b1`,
    },
  ],
});
